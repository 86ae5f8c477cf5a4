"""Customer notifications: what is said, and the channels that carry it."""
