"""Sign-in: login, token refresh and rotation, logout; sessions are rows with hashed refresh tokens."""
