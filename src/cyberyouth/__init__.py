"""cyberyouth — the digital system that runs programme 311/QĐ-TTg for a local government."""

__version__ = "0.1.0"
