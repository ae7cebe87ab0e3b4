"""vk connector package."""
