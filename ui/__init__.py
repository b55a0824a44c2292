"""The PySide6 presentation layer. Talks to liaison_app only through its functions."""
