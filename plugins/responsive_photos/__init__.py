from responsive_photos.plugin import Photo, register, resize

__all__ = ["Photo", "register", "resize"]
