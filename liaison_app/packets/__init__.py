"""Signed packets: the PDF and Excel reports, the zip with manifest and signatures, and verification."""
