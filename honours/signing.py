"""The office's signing certificate: PAdES signatures on certificates and their validation.

Production names a key and certificate (PEM files) and the root(s) they chain to in settings
(HONOURS_SIGNING_KEY_FILE, HONOURS_SIGNING_CERT_FILE, HONOURS_SIGNING_KEY_PASSWORD,
HONOURS_SIGNING_CHAIN_FILE, HONOURS_TRUST_ROOTS_FILE). Without them, and only where
HONOURS_DEMO_SIGNING is on (development, tests, the demo), a demo root and signing certificate are
made once at run time under HONOURS_DEMO_SIGNING_DIR; no key is ever committed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

_lock = threading.Lock()
SIGNATURE_BYTES = 6144


class SigningUnavailable(RuntimeError):
    """No signing certificate is configured; the message is shown to staff."""


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    chain: Path | None
    roots: Path
    password: bytes | None


def _demo_files() -> SigningFiles:
    """A demo root CA and a signing certificate it issued, made once (atomically) and reused."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = Path(settings.HONOURS_DEMO_SIGNING_DIR)
    files = SigningFiles(folder / "signing-key.pem", folder / "signing-cert.pem", None, folder / "root-cert.pem", None)
    with _lock:
        if files.key.exists() and files.cert.exists() and files.roots.exists():
            return files
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                               x509.NameAttribute(NameOID.ORGANIZATION_NAME, "政府质量奖评审平台（演示）"),
                               x509.NameAttribute(NameOID.COMMON_NAME, "Quality Award Demo Root CA")])
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + dt.timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                             crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                .sign(root_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "政府质量奖评审办公室（演示）"),
                          x509.NameAttribute(NameOID.COMMON_NAME, "Quality Award Office Demo Signing")])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(root_name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1825))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
                .sign(root_key, hashes.SHA256()))
        pem = serialization.Encoding.PEM
        for path, data in (
            (files.roots, root.public_bytes(pem)),
            (files.cert, cert.public_bytes(pem)),
            (files.key, key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        ):
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        files.key.chmod(0o600)
    return files


def signing_files() -> SigningFiles:
    if settings.HONOURS_SIGNING_KEY_FILE and settings.HONOURS_SIGNING_CERT_FILE:
        roots = settings.HONOURS_TRUST_ROOTS_FILE or settings.HONOURS_SIGNING_CHAIN_FILE
        if not roots:
            raise SigningUnavailable(_("未配置签名证书的根证书（HONOURS_TRUST_ROOTS_FILE），无法签署和验证证书。"))
        password = settings.HONOURS_SIGNING_KEY_PASSWORD
        return SigningFiles(Path(settings.HONOURS_SIGNING_KEY_FILE), Path(settings.HONOURS_SIGNING_CERT_FILE),
                            Path(settings.HONOURS_SIGNING_CHAIN_FILE) if settings.HONOURS_SIGNING_CHAIN_FILE else None,
                            Path(roots), password.encode() if password else None)
    if settings.HONOURS_DEMO_SIGNING:
        return _demo_files()
    raise SigningUnavailable(_("未配置评审办的签名证书（HONOURS_SIGNING_KEY_FILE、HONOURS_SIGNING_CERT_FILE），无法签署证书。"))


@lru_cache(maxsize=4)
def _signer(files: SigningFiles):
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.sign import signers

    chain = [str(files.chain)] if files.chain else []
    signer = signers.SimpleSigner.load(str(files.key), str(files.cert), ca_chain_files=chain,
                                       key_passphrase=files.password)
    if signer is None:
        raise SigningUnavailable(_("签名证书或私钥无法读取。"))
    # The chain up to the root, so a reader can build the path offline.
    for cert in load_certs_from_pemder([str(files.roots)]):
        signer.cert_registry.register(cert)
    return signer


@lru_cache(maxsize=4)
def _roots(files: SigningFiles) -> tuple:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([str(files.roots)]))


T = TypeVar("T")


def _outside_event_loop(fn: Callable[..., T], *args: Any) -> T:
    """Call pyHanko's synchronous API, which runs its own asyncio loop (asyncio.run), from anywhere:
    where this thread already runs a loop (an async caller, a browser driver), in a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def sign(pdf: bytes, *, reason: str, location: str, name: str) -> bytes:
    """The PDF with one PAdES signature by the office's certificate (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    files = signing_files()
    meta = signers.PdfSignatureMetadata(field_name="OfficeSignature", md_algorithm="sha256", reason=reason,
                                        location=location, name=name, subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # Room for the CMS signature (an ECDSA signature and two certificates take ~3.3 KB): the default
    # reservation is 16 KB, written as hex, a third of the certificate's size budget.
    out = _outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=_signer(files), bytes_reserved=SIGNATURE_BYTES))
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str
    signed_at: dt.datetime | None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def check_signature(pdf: bytes) -> SignatureCheck:
    """Whether the PDF carries an intact signature, by a certificate chaining to our root, covering it all."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    none = SignatureCheck(False, False, False, False, "", None)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged or foreign file is simply not a signed certificate of ours
        return none
    if not signatures:
        return none
    context = ValidationContext(trust_roots=list(_roots(signing_files())), allow_fetching=False)
    try:
        status = _outside_event_loop(validate_pdf_signature, signatures[-1], context)
    except Exception:
        return SignatureCheck(True, False, False, False, "", None)
    subject = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    return SignatureCheck(True, bool(status.intact and status.valid), bool(status.trusted),
                          status.coverage == SignatureCoverageLevel.ENTIRE_FILE, subject, status.signer_reported_dt)
