"""Refresh the window's translation sources and build the compiled files shipped beside them.

    python resources/translations/update_translations.py        (from the checkout, in the project's venv)

1. pyside6-lupdate reads every ``tr()``/``translate()`` call under ui/ (also the ``_tr`` helpers modules use
   outside a class) into liaison_en.ts, keeping the translations already made;
2. a ``_tr`` helper's strings are filed under the context the helper passes to ``QCoreApplication.translate``
   (lupdate cannot see through the helper and files them under no context);
3. pyside6-lrelease compiles liaison_en.ts into liaison_en.qm, which the program loads when English is chosen.

``--pseudo`` also writes liaison_pseudo.qm (in the temporary folder, never shipped): every string 40 % longer, to
find labels that get cut off (load it with QTranslator and take screenshots).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("en",)
_HELPER = re.compile(r'def _tr\(text: str\) -> str:\s+return QCoreApplication\.translate\("(\w+)", text\)')


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists() and not shutil.which(name):
        sys.exit(f"{name} not found: run this with the project's virtual environment")
    return found


def _helper_contexts() -> dict[str, str]:
    out = {}
    for path in (ROOT / "ui").glob("*.py"):
        m = _HELPER.search(path.read_text(encoding="utf-8"))
        if m:
            out[path.name] = m.group(1)
    return out


def _translations(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) -> (translation, type) of an existing .ts."""
    if not ts.exists():
        return {}
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.text and tr.get("type") not in ("vanished", "obsolete"):
                out[(name, msg.findtext("source") or "")] = (tr.text, tr.get("type"))
    return out


def update(code: str) -> Path:
    ts = HERE / f"liaison_{code}.ts"
    previous = _translations(ts)
    by_source = {src: tr for (_ctx, src), tr in previous.items()}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
        subprocess.run([_tool("pyside6-lupdate"), *sources, "-tr-function-alias", "tr+=_tr", "-no-obsolete",
                        "-locations", "none", "-target-language", code, "-ts", str(fresh)],
                       cwd=ROOT, check=True, capture_output=True)
        tree = ET.parse(fresh)
    root = tree.getroot()
    helpers = _helper_contexts()
    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    # lupdate without locations cannot say which file a context-less string came from: ask the sources.
    orphan = contexts.pop("", None)
    if orphan is not None:
        root.remove(orphan)
        texts = {name: (ROOT / "ui" / name).read_text(encoding="utf-8") for name in helpers}
        for msg in list(orphan.iter("message")):
            source = msg.findtext("source") or ""
            literal = '_tr("' + source.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') + '")'
            for name, text in texts.items():
                if literal in text:
                    ctx_name = helpers[name]
                    if ctx_name not in contexts:
                        ctx = ET.SubElement(root, "context")
                        ET.SubElement(ctx, "name").text = ctx_name
                        contexts[ctx_name] = ctx
                    copy = ET.SubElement(contexts[ctx_name], "message")
                    ET.SubElement(copy, "source").text = source
                    ET.SubElement(copy, "translation", {"type": "unfinished"})
    missing = 0
    for ctx_name, ctx in contexts.items():
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            assert tr is not None
            known = previous.get((ctx_name, source)) or by_source.get(source)
            if known:
                tr.text, kind = known
                tr.attrib.pop("type", None)
                if kind:
                    tr.set("type", kind)
            else:
                missing += 1
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True,
                   capture_output=True)
    print(f"{ts.name}: {missing} strings without a translation (they show in Chinese)")
    return ts


def pseudo() -> Path:
    """A translation that makes every string 40 % longer (brackets show where each one starts and ends)."""
    source = HERE / "liaison_en.ts"
    tree = ET.parse(source)
    for msg in tree.getroot().iter("message"):
        text = msg.findtext("source") or ""
        tr = msg.find("translation")
        assert tr is not None
        tr.text = "［" + text + "～" * max(1, round(len(text) * 0.4) - 2) + "］"
        tr.attrib.pop("type", None)
    out = Path(tempfile.gettempdir()) / "liaison_pseudo.ts"
    tree.write(out, encoding="utf-8", xml_declaration=True)
    qm = out.with_suffix(".qm")  # for screenshots only: never shipped
    subprocess.run([_tool("pyside6-lrelease"), str(out), "-qm", str(qm)], check=True, capture_output=True)
    return qm


if __name__ == "__main__":
    for language in LANGUAGES:
        update(language)
    if "--pseudo" in sys.argv[1:]:
        print(pseudo())
