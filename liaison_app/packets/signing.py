"""Signing with an Identity: a PAdES signature inside the PDF (pyHanko, /ETSI.CAdES.detached) and a detached CMS
signature over the manifest (verifiable with ``openssl cms -verify -binary``)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..errors import SigningError
from .identity import Identity

__all__ = ["PDF_SIGNATURE_FIELD", "SignatureBox", "sign_pdf", "sign_detached", "to_asn1_certificate"]

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


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible signature goes: a page (0-based) and a rectangle in PDF points (x1, y1, x2, y2)."""

    page: int
    rect: tuple[float, float, float, float]
    font_path: Path
    """The Chinese TrueType font (a .ttf, or a .ttc with ``font_index``) the appearance is written in."""
    font_index: int = 0
    unit: str = ""
    """The signer's unit, printed in the appearance."""


def _appearance_font(path: Path, index: int, text: str, folder: str) -> str:
    """A small TrueType file with just the glyphs of ``text``, in 1000 units per em, for pyHanko: it reads one
    face (not a .ttc collection) and writes glyph widths unscaled, so a 2048-unit font (微软雅黑, 文泉驿) would
    print every character twice as wide as it is."""
    out = os.path.join(folder, "appearance.ttf")
    with open(out, "wb") as fh:
        fh.write(_appearance_font_bytes(str(path), index, "".join(sorted(set(text)))))
    return out


@functools.lru_cache(maxsize=8)
def _appearance_font_bytes(path: str, index: int, chars: str) -> bytes:
    """Cached: the window makes several packets with the same signer in one session."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(path, fontNumber=index, lazy=True)  # reads only the glyphs kept, not all 30,000
    try:
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]  # a FontForge timestamp fontTools cannot subset (and says so on stderr)
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        buf = io.BytesIO()
        font.save(buf)
    finally:
        font.close()
    return buf.getvalue()


_STAMP_TEXT: Final = "电子签名\n签名人：%(signer)s（%(unit)s）\n签名时间：%(when)s\n证书 SHA-256 指纹：\n%(fp1)s\n%(fp2)s"


def _stamp_style(font_file: str) -> TextStampStyle:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextStampStyle(
        stamp_text=_STAMP_TEXT,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font_file, font_size=9), font_size=9, leading=12),
        border_width=1, timestamp_format="%Y-%m-%d %H:%M:%S %z",
    )


def sign_pdf(pdf: bytes, identity: Identity, *, reason: str = "", location: str = "",
             box: SignatureBox | None = None) -> bytes:
    """Return ``pdf`` with a PAdES-B-B signature covering the whole file; with ``box``, the signature field is
    visible there, printing the signer, unit, time and certificate fingerprint in the embedded Chinese font."""
    with tempfile.TemporaryDirectory(prefix="liaison-sign-") as folder:
        return _sign_pdf(pdf, identity, reason=reason, location=location, box=box, folder=folder)


def _sign_pdf(pdf: bytes, identity: Identity, *, reason: str, location: str, box: SignatureBox | None,
              folder: str) -> bytes:
    stamp_style = None
    field_spec = None
    params: dict[str, str] = {}
    if box is not None:
        fp = identity.fingerprint.upper()
        pairs = [fp[i:i + 2] for i in range(0, len(fp), 2)]
        now = dt.datetime.now().astimezone()
        offset = now.strftime("%z")
        params = {"signer": identity.name, "unit": box.unit or identity.department,
                  "when": f"{now:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})",
                  "fp1": ":".join(pairs[:16]), "fp2": ":".join(pairs[16:])}
        try:
            text = (_STAMP_TEXT % params) + "0123456789-:+ ()UTC"
            stamp_style = _stamp_style(_appearance_font(box.font_path, box.font_index, text, folder))
        except (OSError, ImportError) as exc:
            raise SigningError(f"无法用字体 {box.font_path.name} 生成签名外观：{exc}") from exc
        field_spec = fields.SigFieldSpec(sig_field_name=PDF_SIGNATURE_FIELD, on_page=box.page,
                                         box=(round(box.rect[0]), round(box.rect[1]), round(box.rect[2]),
                                              round(box.rect[3])))
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
        pdf_signer = signers.PdfSigner(meta, signer=_pyhanko_signer(identity), stamp_style=stamp_style,
                                       new_field_spec=field_spec)
        pdf_signer.sign_pdf(writer, output=out, appearance_text_params=params or None)
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
