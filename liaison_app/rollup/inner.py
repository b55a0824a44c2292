"""Checking the units' packets inside a bureau's consolidated packet, called by verify_packet when the manifest says
it is one. Each inner packet is copied out to a temporary file and verified as if it had been sent alone; it must
also be the packet the office's signed manifest names (same signer). A consolidated packet inside another is not
opened (no unbounded nesting)."""

from __future__ import annotations

import contextvars
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:
    from ..packets.verify import Limits, Problem

__all__ = ["check_inner_packets"]

_inside = contextvars.ContextVar("inside_consolidated", default=False)


def check_inner_packets(zf: zipfile.ZipFile, members: Mapping[str, zipfile.ZipInfo], manifest: Mapping[str, Any], *,
                        limits: Limits) -> list[Problem]:
    """Problems of the inner packets, each named ``packets/X.zip`` or ``packets/X.zip → member``. Their signers
    must be the ones the office's signed manifest names (the trust list given for the outer packet is the office's)."""
    from ..packets.verify import Problem, verify_packet

    entries = manifest.get("packets")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "path" in e for e in entries):
        return [Problem("manifest.json", "汇总材料包清单中的科室材料包列表格式不对。")]
    if _inside.get():
        return [Problem("", "这是套在另一个汇总材料包里的汇总材料包，不再逐层核验其中的材料包。")]
    problems: list[Problem] = []
    token = _inside.set(True)
    try:
        with tempfile.TemporaryDirectory(prefix="liaison-inner-") as tmp:
            for entry in entries:
                name = str(entry["path"])
                info = members.get(name)
                if info is None:
                    continue  # already reported as missing from the packet
                copy = Path(tmp) / "inner.zip"
                try:
                    with zf.open(info) as src, open(copy, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                    # Content and signatures only: who signed is checked against the office's signed record below
                    # (the office's trust list, given for the outer packet, does not name the units).
                    result = verify_packet(copy, limits=limits)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    problems.append(Problem(name, f"无法读取内含的材料包：{exc}"))
                    continue
                except InputError as exc:
                    problems.append(Problem(name, f"内含的材料包无法核验：{exc}"))
                    continue
                finally:
                    copy.unlink(missing_ok=True)
                problems += [Problem(f"{name} → {p.file}" if p.file else name, p.message) for p in result.problems]
                if result.signer_fingerprint and result.signer_fingerprint != entry.get("signer_sha256"):
                    problems.append(Problem(name, "内含材料包的签名人与汇总清单记录的不是同一张证书。"))
                if result.manifest and result.manifest.get("department") != entry.get("department"):
                    problems.append(Problem(name, "内含材料包的科室与汇总清单记录的不一致。"))
    finally:
        _inside.reset(token)
    return problems
