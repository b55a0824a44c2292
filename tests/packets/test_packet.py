"""Signed packets end to end: built from a real workspace, checked by independent tools (pdfsig, openssl, sha256sum),
and every kind of tampering named by `liaison verify`."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from liaison_app.errors import InputError, SigningError
from liaison_app.evidence import safe_file_name
from liaison_app.packets.content import Period
from liaison_app.packets.identity import create_identity, load_identity
from liaison_app.packets.package import build_packet
from liaison_app.packets.verify import UnsafeArchive, verify_packet

PASSWORD = "correct horse"
needs = {tool: pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed")
         for tool in ("pdfsig", "openssl", "sha256sum", "pdftotext")}


@pytest.fixture(scope="session")
def identity_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("identity") / "张三.p12"
    create_identity(path, name="张三", department="法制科", bureau="上海市松江区生态环境局", password=PASSWORD)
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, identity_file: Path, packet_facts) -> Path:
    """One packet built once from the shared realistic workspace; tests copy it before changing anything."""
    from liaison_app.workspace import Workspace, copy_workspace

    root = tmp_path_factory.mktemp("built") / "ws"
    copy_workspace(packet_facts.root, root)
    with Workspace.open(root) as ws:
        result = build_packet(ws, period="2023", identity=load_identity(identity_file, PASSWORD),
                              out_dir=root.parent / "out")
    return result.path


@pytest.fixture
def packet(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / built.name
    shutil.copy2(built, copy)
    return copy


@pytest.fixture
def cert(identity_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "signer-trusted.pem"
    path.write_bytes(load_identity(identity_file, PASSWORD).certificate_pem())
    return path


def unpack(packet: Path, into: Path) -> Path:
    with zipfile.ZipFile(packet) as zf:
        zf.extractall(into)
    return into


def rewrite(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> Path:
    """Copy a packet member by member (same order, same names), letting ``change`` alter or drop members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def flip_byte(data: bytes, at: float = 0.5) -> bytes:
    i = int(len(data) * at)
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


# ----- the packet as built -----------------------------------------------------------------------------------------
def test_packet_holds_every_part_in_a_fixed_order(packet: Path) -> None:
    names = zipfile.ZipFile(packet).namelist()
    assert names[:8] == ["manifest.json", "manifest.p7s", "SHA256SUMS", "report.pdf", "report.xlsx", "report.docx",
                         "signer.pem", "核验说明.txt"]
    evidence = names[8:]
    assert evidence and all(n.startswith("evidence/") for n in evidence)
    assert len({n.lower() for n in evidence}) == len(evidence)
    manifest = json.loads(zipfile.ZipFile(packet).read("manifest.json"))
    assert manifest["department"] == "法制科" and manifest["period"]["slug"] == "2023"
    assert {f["path"] for f in manifest["files"]} == set(names) - {"manifest.json", "manifest.p7s", "SHA256SUMS"}
    assert packet.name == "法制科-2023-材料包.zip"


def test_verify_reports_intact_and_trust(packet: Path, cert: Path) -> None:
    untrusted = verify_packet(packet)
    assert untrusted.intact and not untrusted.trusted
    assert untrusted.signer_name == "张三" and untrusted.signer_department == "法制科"
    assert untrusted.signed_at is not None
    from liaison_app.packets.identity import load_certificates

    trusted = verify_packet(packet, trusted=load_certificates(cert))
    assert trusted.intact and trusted.trusted
    assert trusted.files_checked == len(zipfile.ZipFile(packet).namelist())


@needs["pdfsig"]
def test_pdfsig_reports_the_pdf_signature_valid(packet: Path, tmp_path: Path) -> None:
    folder = unpack(packet, tmp_path / "x")
    out = subprocess.run(["pdfsig", "-no-ocsp", str(folder / "report.pdf")], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out, out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out
    assert "Digest Mismatch" not in out


@needs["openssl"]
def test_openssl_verifies_the_manifest_signature(packet: Path, tmp_path: Path) -> None:
    folder = unpack(packet, tmp_path / "x")
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s", "-content",
           "manifest.json", "-CAfile", "signer.pem", "-out", os.devnull]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    assert r.returncode == 0 and "Verification successful" in r.stderr, r.stderr
    (folder / "manifest.json").write_bytes((folder / "manifest.json").read_bytes().replace(b"2023", b"2024", 1))
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    assert r.returncode != 0


@needs["sha256sum"]
def test_sha256sum_checks_every_file(packet: Path, tmp_path: Path) -> None:
    folder = unpack(packet, tmp_path / "x")
    r = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], capture_output=True, text=True, cwd=folder)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count(": OK") == len(zipfile.ZipFile(packet).namelist()) - 1


def test_guide_names_the_fingerprint_and_the_commands(packet: Path, identity_file: Path) -> None:
    text = zipfile.ZipFile(packet).read("核验说明.txt").decode("utf-8-sig")
    fp = load_identity(identity_file, PASSWORD).fingerprint.upper()
    assert " ".join(fp[i:i + 4] for i in range(0, 64, 4)) in text
    assert "openssl cms -verify" in text and "sha256sum -c SHA256SUMS" in text and "liaison verify" in text
    assert "Get-FileHash" in text and "certutil -hashfile" in text  # Windows too


def _guide_commands(packet: Path) -> list[str]:
    text = zipfile.ZipFile(packet).read("核验说明.txt").decode("utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.startswith("    ") and " " in line.strip()
            and not all(len(w) == 4 for w in line.split())]


@needs["openssl"]
@needs["sha256sum"]
def test_the_guides_linux_commands_work_as_written(packet: Path, tmp_path: Path) -> None:
    """Run the commands of 核验说明.txt in the unpacked folder exactly as a reader would copy them."""
    import shlex

    folder = unpack(packet, tmp_path / "x")
    ran = 0
    for command in _guide_commands(packet):
        words = shlex.split(command)
        if words[0] not in ("openssl", "sha256sum"):
            continue
        r = subprocess.run(words, capture_output=True, text=True, cwd=folder)
        assert r.returncode == 0, f"{command}: {r.stdout}{r.stderr}"
        ran += 1
    assert ran == 3  # the certificate fingerprint, the manifest signature, the file hashes


@needs["pdftotext"]
def test_pdf_and_text_guide_give_the_same_instructions(packet: Path, tmp_path: Path) -> None:
    folder = unpack(packet, tmp_path / "x")
    pdf_text = subprocess.run(["pdftotext", "report.pdf", "-"], capture_output=True, check=True,
                              cwd=folder).stdout.decode("utf-8")
    flat_pdf = "".join(pdf_text.split())
    guide = (folder / "核验说明.txt").read_text(encoding="utf-8-sig")
    lines = [line.strip() for line in guide.splitlines() if line.strip()]
    assert len(lines) > 15
    for line in lines[2:]:  # after the title and the line naming when it was made (identical, but wrapped)
        assert "".join(line.split()) in flat_pdf, line


def test_packet_never_carries_the_private_key(packet: Path) -> None:
    with zipfile.ZipFile(packet) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            assert b"PRIVATE KEY" not in data, name
            assert not name.endswith((".p12", ".pfx", ".key"))


# ----- tampering -----------------------------------------------------------------------------------------------------
MEMBERS = ["manifest.json", "manifest.p7s", "SHA256SUMS", "report.pdf", "report.xlsx", "report.docx", "signer.pem", "核验说明.txt",
           "evidence"]


@pytest.mark.parametrize("member", MEMBERS)
def test_one_changed_byte_in_any_member_is_named(packet: Path, tmp_path: Path, member: str) -> None:
    target = member if member != "evidence" else next(n for n in zipfile.ZipFile(packet).namelist()
                                                       if n.startswith("evidence/"))
    # In a PEM the middle of the base64 body changes the certificate; elsewhere any byte does.
    tampered = rewrite(packet, tmp_path / "t.zip",
                       lambda name, data: flip_byte(data, 0.4) if name == target else data)
    result = verify_packet(tampered)
    assert not result.intact
    assert target in {p.file for p in result.problems}, result.problems


def test_appended_pdf_revision_is_detected(packet: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    def append(name: str, data: bytes) -> bytes:
        if name != "report.pdf":
            return data
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        writer.document_meta.title = "改过的标题"
        writer.root["/Lang"] = pdf_string("en")
        writer.update_root()
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    result = verify_packet(rewrite(packet, tmp_path / "t.zip", append))
    messages = [p.message for p in result.problems if p.file == "report.pdf"]
    assert any("追加" in m for m in messages), result.problems


def test_extra_and_missing_files_are_named(packet: Path, tmp_path: Path) -> None:
    first_evidence = next(n for n in zipfile.ZipFile(packet).namelist() if n.startswith("evidence/"))
    result = verify_packet(rewrite(packet, tmp_path / "t.zip",
                                   lambda name, data: None if name == first_evidence else data,
                                   extra={"evidence/补充材料.txt": "后来加的".encode()}))
    named = {p.file: p.message for p in result.problems}
    assert "清单中列出的文件在材料包中缺失" in named[first_evidence]
    assert "多出" in named["evidence/补充材料.txt"]


def _evil_zip(path: Path, name: str, *, symlink: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", "{}")
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd" if symlink else "pwned")
    return path


@pytest.mark.parametrize("name,symlink", [("../../evil.txt", False), ("/tmp/evil.txt", False),
                                          ("evidence/../../evil.txt", False), ("C:/evil.txt", False),
                                          ("evidence/link", True)])
def test_unsafe_archives_are_refused_before_anything_is_written(tmp_path: Path, name: str, symlink: bool) -> None:
    work = tmp_path / "work"
    work.mkdir()
    evil = _evil_zip(tmp_path / "evil.zip", name, symlink=symlink)
    before = set(tmp_path.rglob("*"))
    with pytest.raises(UnsafeArchive):
        verify_packet(evil)
    assert set(tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("evidence/zeros.bin", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(64):
                fh.write(block)
    with pytest.raises(UnsafeArchive, match="压缩比"):
        verify_packet(bomb)


# ----- identity --------------------------------------------------------------------------------------------------------
def test_identity_certificate_says_who_and_what_for(identity_file: Path) -> None:
    from cryptography import x509

    ident = load_identity(identity_file, PASSWORD)
    cert = ident.certificate
    assert "CN=张三" in cert.subject.rfc4514_string() and "OU=法制科" in cert.subject.rfc4514_string()
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 2.99 < years < 3.01
    assert PASSWORD.encode() not in identity_file.read_bytes()


def test_identity_errors_are_plain(identity_file: Path, tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="密码不对") as wrong:
        load_identity(identity_file, "wrong password")
    assert "不是" not in str(wrong.value), "a wrong password is not called a wrong kind of file"
    (tmp_path / "会议纪要.p12").write_bytes(b"%PDF-1.4 not an identity")
    with pytest.raises(SigningError, match="不是签名身份文件") as other:
        load_identity(tmp_path / "会议纪要.p12", PASSWORD)
    assert "密码" not in str(other.value)
    with pytest.raises(InputError, match="已经存在"):
        create_identity(identity_file, name="张三", department="法制科", password=PASSWORD)
    with pytest.raises(InputError, match="至少"):
        create_identity(tmp_path / "x.p12", name="张三", department="法制科", password="123")


def test_rsa_identity_signs_a_packet_verified_by_openssl(packet_workspace, tmp_path: Path) -> None:
    ident = create_identity(tmp_path / "rsa.p12", name="李四", department="法制科", password=PASSWORD, key_type="rsa")
    result = build_packet(packet_workspace, period="2023-Q2", identity=ident, out_dir=tmp_path / "out")
    assert result.path.name == "法制科-2023-Q2-材料包.zip"
    assert verify_packet(result.path, trusted=[ident.certificate]).trusted
    audit = packet_workspace.audit_rows(target=f"packet:{result.path.name}")
    assert audit and audit[0].detail["sha256"] == result.sha256


def test_second_packet_for_the_same_period_never_overwrites(packet_workspace, identity_file: Path, tmp_path: Path) -> None:
    ident = load_identity(identity_file, PASSWORD)
    first = build_packet(packet_workspace, period="2023-05", identity=ident, out_dir=tmp_path)
    second = build_packet(packet_workspace, period="2023-05", identity=ident, out_dir=tmp_path)
    assert first.path != second.path and first.path.exists() and second.path.name.endswith("(2).zip")
    assert not list(tmp_path.glob("*.partial"))


def test_damaged_vault_file_stops_the_packet_and_leaves_nothing(packet_workspace, identity_file: Path,
                                                                tmp_path: Path) -> None:
    from liaison_app import evidence

    ev = evidence.list_evidence(packet_workspace, target_kind="task")[0]
    path = evidence.vault_path(packet_workspace, ev.sha256)
    path.chmod(0o644)
    path.write_bytes(flip_byte(path.read_bytes()))
    from liaison_app.errors import VaultError

    with pytest.raises(VaultError, match="已损坏"):
        build_packet(packet_workspace, period="2023", identity=load_identity(identity_file, PASSWORD),
                     out_dir=tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_period_parsing_and_safe_names() -> None:
    assert Period.parse("2023-Q2").label == "2023年第二季度"
    assert Period.parse("2023-5").slug == "2023-05" and Period.parse("2023-05").end.isoformat() == "2023-05-31"
    assert Period.parse("2023").end.isoformat() == "2023-12-31"
    with pytest.raises(InputError):
        Period.parse("2023-13")
    assert safe_file_name("CON.txt") == "_CON.txt"
    assert safe_file_name('a/b:c?*"<>|.pdf') == "a_b_c______.pdf"
    assert len(safe_file_name("长" * 300 + ".jpeg")) <= 80 and safe_file_name("长" * 300 + ".jpeg").endswith(".jpeg")


# ----- command line ----------------------------------------------------------------------------------------------------
def test_cli_identity_packet_verify(cli, packet_facts, tmp_path: Path) -> None:
    from liaison_app.workspace import copy_workspace

    ws = tmp_path / "ws"
    copy_workspace(packet_facts.root, ws)
    env = {"LIAISON_PASSWORD": PASSWORD}
    p12, pem = tmp_path / "me.p12", tmp_path / "me.pem"
    r = cli("identity", "create", "--name", "张三", "--department", "法制科", "--out", p12, "--cert-out", pem, env=env)
    assert r.returncode == 0, r.stderr
    assert pem.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")

    r = cli("--workspace", ws, "packet", "--period", "2023", "--identity", p12, "--out", tmp_path / "out", "--json",
            env=env)
    assert r.returncode == 0, r.stderr
    made = Path(json.loads(r.stdout)["path"])
    r = cli("verify", made, "--trust", pem)
    assert r.returncode == 0 and "完好" in r.stdout and "受信任" in r.stdout, r.stdout + r.stderr
    r = cli("verify", made, "--require-trusted")
    assert r.returncode == 1 and "不在信任列表" in r.stdout
    r = cli("verify", made, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["intact"] is True

    tampered = rewrite(made, tmp_path / "t.zip", lambda n, d: flip_byte(d) if n == "report.xlsx" else d)
    r = cli("verify", tampered, "--trust", pem)
    assert r.returncode == 1 and "report.xlsx" in r.stdout

    (tmp_path / "not.zip").write_bytes(b"hello")
    r = cli("verify", tmp_path / "not.zip")
    assert r.returncode == 2 and "zip" in r.stderr and "Traceback" not in r.stderr
    r = cli("verify", _evil_zip(tmp_path / "evil.zip", "../evil.txt"))
    assert r.returncode == 2 and "不安全" in r.stderr

    r = cli("--workspace", ws, "packet", "--period", "2023", "--identity", p12, env={"LIAISON_PASSWORD": "nope"})
    assert r.returncode == 2 and "密码不对" in r.stderr
    r = cli("--workspace", ws, "packet", "--period", "2023-14", "--identity", p12, env=env)
    assert r.returncode == 2 and "YYYY-MM" in r.stderr


def test_cli_demo_builds_and_verifies(cli, tmp_path: Path) -> None:
    r = cli("demo", "--out", tmp_path / "demo", timeout=300)
    assert r.returncode == 0, r.stderr
    assert "核验结果：完好，签名人受信任。" in r.stdout
    packet = next((tmp_path / "demo" / "packets").glob("*.zip"))
    cert = tmp_path / "demo" / "packets" / "demo-signer.pem"
    assert cert.exists()
    assert cli("verify", packet, "--trust", cert, "--require-trusted").returncode == 0
    assert cli("--workspace", tmp_path / "demo" / "workspace", "check").returncode == 0
    assert "依据文件：沪绿容〔2023〕177号；沪松环〔2023〕14号" in r.stdout and "草稿，未纳入 1 篇" in r.stdout
    if shutil.which("pdftoppm"):
        # Every page of the demo's report, kept for a person to look at (artifacts/packets/demo-pages/).
        from PIL import Image

        from .test_pdf import ARTIFACTS

        out = ARTIFACTS / "demo-pages"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        with zipfile.ZipFile(packet) as zf:
            (out / "report.pdf").write_bytes(zf.read("report.pdf"))
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(out / "report.pdf"), str(out / "page")], check=True)
        pages = sorted(out.glob("page-*.png"))
        assert len(pages) >= 10
        for page in pages:
            assert Image.open(page).convert("L").getextrema()[0] < 100  # no blank page
    # Run again: the demo replaces its own workspace, and refuses to touch anything else.
    assert cli("demo", "--out", tmp_path / "demo", timeout=300).returncode == 0
    (tmp_path / "other" / "workspace").mkdir(parents=True)
    (tmp_path / "other" / "workspace" / "mine.txt").write_text("x")
    r = cli("demo", "--out", tmp_path / "other")
    assert r.returncode == 2 and "不是演示工作区" in r.stderr


def test_expired_certificate_and_read_only_workspace_are_refused_before_anything_is_written(
        packet_facts, tmp_path: Path) -> None:
    import datetime as dt

    from liaison_app.workspace import Workspace, copy_workspace

    old = create_identity(tmp_path / "old.p12", name="张三", department="法制科", password=PASSWORD,
                          now=dt.datetime(2019, 1, 1, tzinfo=dt.UTC))
    root = tmp_path / "ws"
    copy_workspace(packet_facts.root, root)
    with Workspace.open(root) as ws:
        with pytest.raises(SigningError, match="不在有效期内"):
            build_packet(ws, period="2023", identity=old, out_dir=tmp_path / "out")
    fresh = create_identity(tmp_path / "new.p12", name="张三", department="法制科", password=PASSWORD)
    with Workspace.open(root, read_only=True) as ws:
        from liaison_app.errors import WorkspaceError

        with pytest.raises(WorkspaceError, match="只读"):
            build_packet(ws, period="2023", identity=fresh, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_evidence_names_say_which_document_when_the_units_tasks_come_from_two(workspace, tmp_path: Path) -> None:
    import datetime as dt

    from liaison_app import catalog, evidence
    from liaison_app.importing import import_text
    from liaison_app.packets.content import gather

    workspace.set_setting("bureau", "上海市松江区生态环境局")
    table = "序号\t任务内容\t牵头部门\t配合部门\n1\t{0}\t法制科\t办公室\n"
    import_text(workspace, "沪松环〔2023〕14号\n" + table.format("梳理许可事项"), name="区局.txt", year=2023)
    import_text(workspace, "沪绿容〔2023〕177号\n" + table.format("完善办事指南"), name="市局.txt", year=2023)
    first, second = (r.task.id for r in catalog.list_tasks(workspace, department="法制科"))
    for task_id, name in ((first, "纪要.txt"), (second, "纪要.txt")):
        (tmp_path / name).write_text(f"任务 {task_id} 的纪要", encoding="utf-8")
        evidence.attach(workspace, tmp_path / name, links=[("task", task_id)], evidence_date="2023-05-01")

    names = [e.packet_name for e in gather(workspace, "2023", today=dt.date(2023, 6, 1)).evidence]
    numbers = [s.doc_number or f"文件{s.id}" for s in catalog.list_sources(workspace)]
    assert names == [f"evidence/{numbers[0]}-1_纪要.txt", f"evidence/{numbers[1]}-1_纪要.txt"]


def test_signature_is_visible_on_the_last_page_in_the_chinese_font(packet: Path, identity_file: Path,
                                                                    tmp_path: Path) -> None:
    """The signature field has an appearance (signer, unit, time, fingerprint) drawn in the embedded CJK font,
    on the last page, and it shows when the page is printed."""
    import re

    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = unpack(packet, tmp_path / "x") / "report.pdf"
    reader = PdfFileReader(open(pdf, "rb"))  # noqa: SIM115 - closed with the reader below
    try:
        field = reader.root["/AcroForm"]["/Fields"][0].get_object()
        last = reader.root["/Pages"]["/Count"] - 1
        def leaves(node):  # the page tree's pages, in order
            node = node.get_object()
            if node["/Type"] == "/Pages":
                for kid in node["/Kids"]:
                    yield from leaves(kid)
            else:
                yield node

        page_annots = [[a.get_object() for a in page.get("/Annots", [])] for page in leaves(reader.root["/Pages"])]
        assert len(page_annots) == last + 1
        assert field in page_annots[last] and not any(field in a for a in page_annots[:last])
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        assert x2 - x1 > 200 and y2 - y1 > 60
        appearance = field["/AP"]["/N"]
        fonts = [f.get_object() for f in appearance["/Resources"]["/Font"].values()]
        assert any("WenQuanYi" in str(f["/BaseFont"]) or "Micro" in str(f["/BaseFont"]) or "Hei" in str(f["/BaseFont"])
                   or "Song" in str(f["/BaseFont"]) or "YaHei" in str(f["/BaseFont"]) for f in fonts)
        actual = re.findall(rb"/ActualText \((.*?)\)\n", appearance.data, re.S)
        texts = [_pdf_string(a) for a in actual]
        joined = "\n".join(texts)
        assert "张三" in joined and "法制科" in joined and "签名时间" in joined
        fp = load_identity(identity_file, PASSWORD).fingerprint.upper()
        assert ":".join(fp[i:i + 2] for i in range(0, 32, 2)) in joined
    finally:
        reader.stream.close()
    if shutil.which("pdftoppm"):
        from PIL import Image

        subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(last + 1), "-l", str(last + 1), str(pdf),
                        str(tmp_path / "last")], check=True)
        page_png = next(tmp_path.glob("last*.png"))
        im = Image.open(page_png).convert("L")
        box = im.crop((int(x1) + 4, im.height - int(y2) + 4, int(x2) - 4, im.height - int(y1) - 4))
        assert sum(1 for v in box.tobytes() if v < 128) > 300  # the appearance's text is printed


def _pdf_string(raw: bytes) -> str:
    """A PDF literal string (octal escapes, UTF-16BE with BOM) as text."""
    out = bytearray()
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == 0x5C:  # backslash
            nxt = raw[i + 1:i + 4]
            if nxt[:1].isdigit():
                out.append(int(nxt, 8))
                i += 4
                continue
            out.append({b"n": 10, b"r": 13, b"t": 9}.get(raw[i + 1:i + 2], raw[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    data = bytes(out)
    return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1")
