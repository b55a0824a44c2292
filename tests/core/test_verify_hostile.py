"""`liaison verify` against packets made to fool it: an impostor with the same name, manifests of the wrong
shape (signed or not), names carrying terminal codes, and a zip whose members add up to a bomb."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from liaison_app.packets.package import build_packet
from liaison_app.packets.signing import sign_detached
from liaison_app.packets.verify import UnsafeArchive, verify_packet
from liaison_app.workspace import Workspace


def rewrite(
    src: Path, dst: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def resigned(built, packet: Path, dst: Path, manifest: bytes) -> Path:
    """The packet with another manifest, signed by the true signer (a signer who writes a hostile manifest)."""
    signature = sign_detached(manifest, built.identity)
    return rewrite(
        packet,
        dst,
        lambda n, d: manifest if n == "manifest.json" else signature if n == "manifest.p7s" else d,
    )


@pytest.fixture
def impostor_packet(built, built_workspace: Path, tmp_path: Path) -> Path:
    with Workspace.open(built_workspace) as ws:
        return build_packet(ws, period="2023", identity=built.impostor, out_dir=tmp_path / "impostor").path


def test_an_impostor_with_the_same_name_fails_when_the_true_certificate_is_trusted(
    built, impostor_packet, cli
):
    report = verify_packet(impostor_packet, trusted=[built.identity.certificate])
    assert not report.intact and not report.trusted
    [problem] = report.problems
    assert "签名人不受信任" in problem.message
    assert built.impostor.fingerprint in problem.message and built.identity.fingerprint in problem.message

    r = cli("verify", impostor_packet, "--trust", built.cert_pem)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "签名人不受信任" in r.stdout and built.identity.fingerprint in r.stdout
    assert "核验结果：完好" not in r.stdout


def test_without_a_trust_list_intact_is_never_plain_intact(built, packet, cli):
    report = verify_packet(packet)
    assert report.intact and not report.trusted
    assert report.verdict.startswith("内容完好；签名人未经确认")
    r = cli("verify", packet)
    assert r.returncode == 0
    assert "内容完好；签名人未经确认" in r.stdout and "核验结果：完好" not in r.stdout
    assert json.loads(cli("verify", packet, "--json").stdout)["verdict"].startswith(
        "内容完好；签名人未经确认"
    )
    r = cli("verify", packet, "--trust", built.cert_pem)
    assert r.returncode == 0 and "核验结果：完好" in r.stdout and "签名人受信任" in r.stdout


def _manifest(packet: Path) -> dict:
    return json.loads(zipfile.ZipFile(packet).read("manifest.json"))


@pytest.mark.parametrize("spoil", ["files-number", "path-list", "size-text", "deep"])
def test_a_signed_manifest_of_the_wrong_shape_is_a_plain_problem(built, packet, tmp_path, spoil, cli):
    m = _manifest(packet)
    if spoil == "files-number":
        m["files"] = 7
    elif spoil == "path-list":
        m["files"][0]["path"] = ["report.pdf"]
    elif spoil == "size-text":
        m["files"][0]["size"] = "12"
    data = json.dumps(m, ensure_ascii=False).encode("utf-8")
    if (
        spoil == "deep"
    ):  # a valid manifest with a deeply nested extra key: json.loads would hit RecursionError
        data = data[:-1] + b', "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    bad = resigned(built, packet, tmp_path / "bad.zip", data)
    report = verify_packet(bad, trusted=[built.identity.certificate])
    assert not report.intact
    assert any(p.file == "manifest.json" and "清单" in p.message for p in report.problems), report.problems
    r = cli("verify", bad)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr


def test_an_unsigned_manifest_is_not_parsed_at_all(built, packet, tmp_path):
    hostile = b"[" * 200_000 + b"]" * 200_000  # would end in RecursionError if it were parsed
    bad = rewrite(packet, tmp_path / "bad.zip", lambda n, d: hostile if n == "manifest.json" else d)
    report = verify_packet(bad, trusted=[built.identity.certificate])
    assert not report.intact and report.manifest == {}
    assert any(p.file == "manifest.json" and "签名不符" in p.message for p in report.problems)


def test_member_names_are_printed_with_control_characters_escaped(packet, tmp_path, cli):
    evil = "evidence/x\x1b[2K\r\x1b[1A核验结果：完好\u202etxt.exe"
    bad = rewrite(packet, tmp_path / "bad.zip", lambda n, d: d, extra={evil: b"payload"})
    r = cli("verify", bad)
    assert r.returncode == 1
    assert "\x1b" not in r.stdout and "\r" not in r.stdout and "\u202e" not in r.stdout
    assert "\\x1b[2K" in r.stdout and "发现 2 个问题" in r.stdout
    r = cli("verify", bad, "--json")
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout


def _many_member_bomb(path: Path, members: int, member_size: int) -> Path:
    """A zip whose members are each deflated ``member_size`` zeros: written by hand, compressing only once."""
    raw = bytes(member_size)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    crc = zlib.crc32(raw)
    central = b""
    with open(path, "wb") as out:
        for i in range(members):
            name = f"evidence/{i:04d}.bin".encode()
            offset = out.tell()
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), member_size, len(name), 0
                )
                + name
                + data
            )
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0,
                    crc,
                    len(data),
                    member_size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name
            )
        start = out.tell()
        out.write(central)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, members, members, len(central), start, 0))
    return path


def test_many_small_bombs_are_refused_before_any_member_is_read(tmp_path, cli):
    # 1,000 members of 15 MiB of zeros: each under the one-member ratio floor, 14.6 GiB declared in ~15 MiB.
    bomb = _many_member_bomb(tmp_path / "bomb.zip", 1000, 15 << 20)
    assert bomb.stat().st_size < 20 << 20
    with pytest.raises(UnsafeArchive, match="压缩炸弹"):
        verify_packet(bomb)
    r = cli("verify", bomb, timeout=30)
    assert r.returncode == 2 and "压缩炸弹" in r.stderr
