"""check_exe.py VERSION EXE...: each program carries the icon and the version resource Explorer shows (product,
version from pyproject, description); exit 1 naming what is missing. Run by build.sh with the build's Python
(pefile comes with PyInstaller)."""

import sys

import pefile


def main() -> int:
    version, exes = sys.argv[1], sys.argv[2:]
    problems = []
    for exe in exes:
        pe = pefile.PE(exe)
        strings = {}
        for info in getattr(pe, "FileInfo", None) or []:
            for entry in info:
                for table in getattr(entry, "StringTable", []):
                    strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
        resources = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
        kinds = {e.id for e in resources.entries} if resources else set()
        has_icon = pefile.RESOURCE_TYPE["RT_GROUP_ICON"] in kinds
        print(f"{exe}: {strings.get('ProductName')} {strings.get('ProductVersion')} — "
              f"{strings.get('FileDescription')}; icon: {'yes' if has_icon else 'NO'}")
        if strings.get("ProductVersion") != version or not strings.get("FileDescription"):
            problems.append(f"{exe}: no version resource for {version}")
        if not has_icon:
            problems.append(f"{exe}: no icon")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
