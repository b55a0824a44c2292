"""The liaison's signing identity: a key pair and certificate in a password-protected PKCS#12 file.

``create_identity`` makes a self-issued certificate (the office and inspectors add its PEM to their trusted list);
``load_identity`` opens one, whether ours or issued by the bureau. The password is never stored anywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ..errors import InputError, SigningError
from ..fsutil import replace_with_retry

__all__ = [
    "Identity",
    "create_identity",
    "load_identity",
    "load_certificates",
    "fingerprint",
    "subject_name",
    "VALID_YEARS",
    "IDENTITY_SETTING",
]

VALID_YEARS: Final = 3
IDENTITY_SETTING: Final = "identity_path"
"""Workspace setting: where the liaison's PKCS#12 file is (a path, never the password)."""
KeyType = Literal["ec", "rsa"]


@dataclass(frozen=True)
class Identity:
    """An opened identity: what signing needs. Keep it in memory only as long as needed."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    """Intermediate certificates that came with a bureau-issued PKCS#12."""
    source: Path | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)

    @property
    def name(self) -> str:
        return subject_name(self.certificate)

    @property
    def department(self) -> str:
        return _attr(self.certificate.subject, NameOID.ORGANIZATIONAL_UNIT_NAME)

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate (DER) in lower-case hex, the form inspectors compare."""
    return cert.fingerprint(hashes.SHA256()).hex()


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def subject_name(cert: x509.Certificate) -> str:
    """The person or organisation the certificate names (its common name, else the whole subject)."""
    return _attr(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()


def _write_new(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write a file completely or not at all; never replace an existing identity unless asked."""
    if path.exists() and not overwrite:
        raise InputError(f"文件 {path} 已经存在，为免覆盖已有的签名身份，未作改动。", hint="请换一个文件名。")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_with_retry(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SigningError(f"无法写入 {path}：{exc.strerror or exc}。") from exc


def create_identity(
    out: str | os.PathLike[str],
    *,
    name: str,
    department: str,
    password: str,
    bureau: str = "",
    key_type: KeyType = "ec",
    now: dt.datetime | None = None,
    overwrite: bool = False,
) -> Identity:
    """Make a key pair and a self-issued certificate (valid three years) and save both in a PKCS#12 at ``out``.

    The subject carries the liaison's name (CN), unit (OU) and bureau (O); key usage is digitalSignature and
    nonRepudiation, which is what document signatures need and nothing more.
    """
    name, department, bureau = name.strip(), department.strip(), bureau.strip()
    if not name or not department:
        raise InputError("创建签名身份需要联络员姓名和科室名称。")
    if len(password) < 6:
        raise InputError("签名身份的密码至少需要 6 个字符。")
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    if key_type == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise InputError(f"不支持的密钥类型 {key_type!r}，应为 ec（ECDSA P-256）或 rsa（RSA 3072）。")
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if bureau:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, bureau))
    attrs += [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, department),
              x509.NameAttribute(NameOID.COMMON_NAME, name)]
    subject = x509.Name(attrs)
    start = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start.replace(year=start.year + VALID_YEARS) if not (start.month == 2 and start.day == 29)
                         else start + dt.timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(100_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    data = pkcs12.serialize_key_and_certificates(name.encode("utf-8"), key, cert, None, encryption)
    path = Path(out)
    _write_new(path, data, overwrite=overwrite)
    return Identity(key=key, certificate=cert, source=path)


def _is_pkcs12(data: bytes) -> bool:
    """True when ``data`` is a PKCS#12 structure (whatever its password): told apart from a file of another kind."""
    try:
        from asn1crypto import pkcs12 as asn1_pkcs12

        pfx = asn1_pkcs12.Pfx.load(data)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except Exception:  # noqa: BLE001 - any parse failure means "not PKCS#12"
        return False


def load_identity(path: str | os.PathLike[str], password: str) -> Identity:
    """Open a PKCS#12 file (ours or the bureau's). Wrong password, a damaged file or one without a key or a
    certificate fit for signing give a plain error."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到签名身份文件 {p}。", hint="可用 `liaison identity create` 创建。") from None
    except OSError as exc:
        raise InputError(f"无法读取签名身份文件 {p}：{exc.strerror or exc}。") from exc
    try:
        bundle = pkcs12.load_pkcs12(data, password.encode("utf-8"))
    except ValueError:
        if _is_pkcs12(data):
            raise SigningError(f"签名身份文件 {p.name} 的密码不对。",
                               hint="请重新输入（区分大小写）；忘记了密码只能重新创建签名身份。") from None
        raise SigningError(f"{p.name} 不是签名身份文件（PKCS#12 格式的 .p12/.pfx），或者已损坏。") from None
    if bundle.key is None or bundle.cert is None:
        raise SigningError(f"签名身份文件 {p.name} 里没有私钥或证书，不能用于签名。")
    key = bundle.key
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SigningError(f"签名身份文件 {p.name} 的密钥类型不受支持（只支持 RSA 和 ECDSA）。")
    cert = bundle.cert.certificate
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise SigningError(f"签名身份文件 {p.name} 中的证书不允许用于签名（密钥用途不含数字签名）。")
    except x509.ExtensionNotFound:
        pass
    chain = tuple(c.certificate for c in bundle.additional_certs)
    return Identity(key=key, certificate=cert, chain=chain, source=p)


def load_certificates(path: str | os.PathLike[str]) -> list[x509.Certificate]:
    """Certificates from a PEM (one or more) or DER file, for the trusted list."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取证书文件 {p}：{exc.strerror or exc}。") from exc
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise InputError(f"{p.name} 不是证书文件（应为 PEM 或 DER 格式的 X.509 证书）。") from None
