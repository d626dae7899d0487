"""redline's version, in a module of its own: parts that must not import the package root
(whose lazy attributes reach the pipeline stages), such as the store, read it from here."""

__version__ = "0.1.0"
