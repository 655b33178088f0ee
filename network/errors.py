"""The root of the network layer's error hierarchy."""


class NetworkError(Exception):
    """Base of every error the network layer raises on purpose."""
