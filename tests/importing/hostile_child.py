"""Runs a reader on hostile input in a process of its own, under a memory limit (RLIMIT_AS where the platform has
it); the parent test adds the time limit. Prints one JSON line: the outcome ("ok" or "refused" with the message)
and the peak memory the read added. Anything but a result or a plain ImportFailed ends with a traceback and exit 3.

    python hostile_child.py read FILE [LIMIT_MB]       (read_document, then recognise)
    python hostile_child.py reader FILE [LIMIT_MB]     (read_document only)
    python hostile_child.py fuzz EXAMPLES SEED [LIMIT_MB]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from liaison_app.errors import ImportFailed  # noqa: E402
from liaison_app.importing import read_document, recognise  # noqa: E402
from tests.peak_memory import peak_rss_bytes  # noqa: E402


def _rss_kb() -> int:
    """Peak resident memory of this process, in KiB."""
    return peak_rss_bytes() // 1024


def _limit(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the parent's timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (megabytes * 2**20, megabytes * 2**20))


def read_one(path: Path, *, recognise_too: bool = True) -> dict[str, object]:
    try:
        document = read_document(path)
        rows = sum(len(g.rows) for g in document.grids)
        text = "".join(c for g in document.grids for row in g.rows[:1000] for c in row)
        assert not any(ch in text for ch in "\x00\x07\x0b\x1b\x7f"), "control characters reached the cells"
        if not recognise_too:
            return {"outcome": "ok", "rows": rows}
        try:
            recognised = recognise(document)
            tables = [(t.kind, len(t.rows)) for t in recognised.tables]
        except ImportFailed as exc:
            return {"outcome": "ok", "rows": rows, "recognised": None, "message": str(exc)}
        return {"outcome": "ok", "rows": rows, "recognised": tables}
    except ImportFailed as exc:
        message = str(exc)
        assert "\n" not in message and "Traceback" not in message
        return {"outcome": "refused", "message": message}


def fuzz(examples: int, seed: int) -> None:
    import hostile_files as hf
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    number = st.one_of(st.integers(-3, 20), st.integers(1_000, 2_000_000), st.just(10**12))
    garbage = st.text(alphabet="0123456789-+x.e AZ", min_size=0, max_size=6)
    col = st.one_of(st.sampled_from(["A", "B", "C", "F", "Z", "AA", "XFD", "XFE", "ZZZZ", "a", ""]), garbage)
    ref = st.builds(lambda c, r: f"{c}{r}", col, st.one_of(number, garbage))
    text = st.text(alphabet=st.sampled_from(list("法制科任务内容牵头部门序号1 \t\n\x00\x07\x1b\x7f&<>\"'月底")),
                   max_size=20)
    escaped = text.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                       .replace("\x00", "").replace("\x07", "").replace("\x1b", "").replace("\x7f", ""))
    kind = st.sampled_from(["s", "n", "b", "str", "inlineStr", "e", "d", "zz", None])

    def cell(r: object, c: str, t: str | None, v: str) -> str:
        t_attr = f' t="{t}"' if t else ""
        body = f"<is><t>{v}</t></is>" if t == "inlineStr" else f"<v>{v}</v>"
        return f'<c r="{c}"{t_attr}>{body}</c>'

    cells = st.lists(st.builds(cell, st.just(0), ref, kind, st.one_of(escaped, number.map(str))), max_size=6)
    row = st.builds(lambda r, cs: f'<row r="{r}">{"".join(cs)}</row>', st.one_of(number, garbage), cells)
    merges = st.lists(st.builds(lambda a, b: f'<mergeCell ref="{a}:{b}"/>', ref, ref), max_size=5)

    @hseed(seed)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(row, max_size=8), merges, st.one_of(st.none(), ref), st.lists(escaped, max_size=5))
    def xlsx(rows: list[str], merge: list[str], dimension: str | None, shared: list[str]) -> None:
        sst = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>").encode()
        xml = hf.sheet(hf.HEADER_ROW, *rows, dimension=f"A1:{dimension}" if dimension else None,
                       merges=f"<mergeCells>{''.join(merge)}</mergeCells>" if merge else "")
        read_one(hf.write_xlsx(work / "f.xlsx", xml, shared=sst))

    attr = st.one_of(number.map(str), garbage, st.none())

    @hseed(seed)
    @settings(max_examples=max(5, examples // 3), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(attr, attr, st.integers(2, 5))
    def docx(span: str | None, before: str | None, rows: int) -> None:
        read_one(hf.docx_with(work / "f.docx", span=span, before=before, rows=rows))

    @hseed(seed)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.lists(text, max_size=6), max_size=10), st.sampled_from(["utf-8", "gb18030", "utf-16"]),
           st.sampled_from([".csv", ".txt", ".tsv"]), st.sampled_from([",", "\t", ";"]))
    def text_file(rows: list[list[str]], encoding: str, suffix: str, sep: str) -> None:
        body = f"序号{sep}任务内容{sep}牵头部门\n" + "\n".join(sep.join(r) for r in rows)
        path = work / f"f{suffix}"
        path.write_bytes(body.encode(encoding, errors="replace"))
        read_one(path)

    xlsx()
    docx()
    text_file()


def main() -> int:
    mode = sys.argv[1]
    at = 4 if mode == "fuzz" else 3
    limit = int(sys.argv[at]) if len(sys.argv) > at else 1536
    base = _rss_kb()
    _limit(limit)
    try:
        if mode in ("read", "reader"):
            result = read_one(Path(sys.argv[2]), recognise_too=mode == "read")
        else:
            fuzz(int(sys.argv[2]), int(sys.argv[3]))
            result = {"outcome": "ok"}
    except BaseException:
        traceback.print_exc()
        return 3
    result["base_kb"] = base
    result["peak_kb"] = _rss_kb()
    result["added_mb"] = round((result["peak_kb"] - base) / 1024, 1)  # type: ignore[operator]
    print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
