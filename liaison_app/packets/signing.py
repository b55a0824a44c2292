"""Signing with an Identity: a PAdES signature inside the PDF (pyHanko, /ETSI.CAdES.detached) and a detached CMS
signature over the manifest (verifiable with ``openssl cms -verify -binary``)."""

from __future__ import annotations

import io
from typing import Final

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..errors import SigningError
from .identity import Identity

__all__ = ["PDF_SIGNATURE_FIELD", "sign_pdf", "sign_detached", "to_asn1_certificate"]

PDF_SIGNATURE_FIELD: Final = "LiaisonSignature"


def to_asn1_certificate(cert_der: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert_der)


def _pyhanko_signer(identity: Identity) -> signers.SimpleSigner:
    der = serialization.Encoding.DER
    cert = to_asn1_certificate(identity.certificate.public_bytes(der))
    key = asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    chain = [to_asn1_certificate(c.public_bytes(der)) for c in identity.chain]
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs([cert, *chain]))


def sign_pdf(pdf: bytes, identity: Identity, *, reason: str = "", location: str = "") -> bytes:
    """Return ``pdf`` with a PAdES-B-B signature (an invisible signature field) covering the whole file."""
    meta = signers.PdfSignatureMetadata(
        field_name=PDF_SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=identity.name,
    )
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signers.PdfSigner(meta, signer=_pyhanko_signer(identity)).sign_pdf(writer, output=out)
    except (PdfError, ValueError) as exc:
        raise SigningError(f"PDF 签名失败：{exc}") from exc
    return out.getvalue()


def sign_detached(data: bytes, identity: Identity) -> bytes:
    """A detached CMS SignedData (DER) over ``data`` exactly as given (binary, no MIME canonicalisation)."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(identity.certificate, identity.key,
                                                                       hashes.SHA256())
    for cert in identity.chain:
        builder = builder.add_certificate(cert)
    return builder.sign(serialization.Encoding.DER,
                        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])
