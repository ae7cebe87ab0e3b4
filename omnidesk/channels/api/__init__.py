"""The generic API channel: any system delivers customers' messages over OmniDesk's own HTTP protocol."""
