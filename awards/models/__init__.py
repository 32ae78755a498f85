from .organizations import Organization

__all__ = ["Organization"]
