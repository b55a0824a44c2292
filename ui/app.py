"""`liaison-desk` (and `python -m ui`): find and open the workspace, then show the main window.

    liaison-desk [--workspace DIR] [--view dashboard|tasks|…]
    liaison-desk [--workspace DIR] --screenshot FILE.png [--view tasks] [--today YYYY-MM-DD]
                                                (renders offscreen, no dialogs, exit 0)

The workspace is the one given, else $LIAISON_WORKSPACE, else the last one opened, else the default one; when none
exists the first-run dialog creates it. A workspace held by another window can be opened read-only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from liaison_app import paths
from liaison_app.crashlog import write_crash_report
from liaison_app.errors import LiaisonError, WorkspaceLocked
from liaison_app.workspace import DB_NAME, Workspace

from .i18n import install_translators
from .jobs import show_error
from .main_window import MainWindow, available_views
from .settings import ORGANISATION, app_settings, apply_pdf_font

__all__ = ["main", "find_workspace", "open_workspace", "run_first_run", "use_chinese_font", "SCREENSHOT_SIZE"]

SCREENSHOT_SIZE = (1400, 860)
_CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
                 "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback", "SimSun")
_LAST_WORKSPACE = "workspace/last"


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="liaison-desk", description="联络员工作台（桌面程序）")
    parser.add_argument("--workspace", type=Path, metavar="DIR", help="工作区文件夹")
    parser.add_argument("--view", choices=available_views(), help="打开后显示的页面")
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="不显示窗口，把主窗口渲染成 PNG 图片后退出")
    parser.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="截图时把这一天当作今天（只能与 --screenshot 一起使用）")
    args = parser.parse_args(argv)
    if args.today is not None and args.screenshot is None:
        parser.error("--today 只能与 --screenshot 一起使用")
    return args


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(paths.APP_NAME)
        install_translators(app)
    use_chinese_font(app)
    apply_pdf_font()
    return app


def use_chinese_font(app: QApplication) -> None:
    """Put an installed Chinese font first, so Chinese never falls back to empty boxes."""
    available = set(QFontDatabase.families())
    if not available.intersection(_CJK_FAMILIES):
        # No Chinese font installed (or none Qt can list, as under Wine): the font bundled for the PDF reports.
        available |= _bundled_font_families()
    chosen = [f for f in _CJK_FAMILIES if f in available]
    if chosen:
        font = app.font()
        font.setFamilies([*chosen, *(f for f in font.families() if f not in chosen)])
        app.setFont(font)


def _bundled_font_families() -> set[str]:
    """Register the fonts in resources/fonts (the Windows build bundles one) and return their families."""
    try:
        folder = paths.resources_dir() / "fonts"
    except FileNotFoundError:
        return set()
    families: set[str] = set()
    for file in sorted(folder.glob("*.tt[cf]")) if folder.is_dir() else []:
        families.update(QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(file))))
    return families


# ----- finding and opening the workspace ---------------------------------------------------------------------------
def find_workspace(given: Path | None) -> Path | None:
    """The workspace folder to open, or None when there is none yet (first run)."""
    if given is not None:
        candidates = [given]
    elif os.environ.get(paths.WORKSPACE_ENV):
        candidates = [paths.default_workspace()]
    else:
        last = app_settings().value(_LAST_WORKSPACE)
        candidates = [Path(last)] if isinstance(last, str) and last else []
        candidates.append(paths.default_workspace())
    return next((c.expanduser() for c in candidates if (c.expanduser() / DB_NAME).is_file()), None)


def _warn(parent: QWidget | None, error: LiaisonError) -> None:
    QMessageBox.warning(parent, _tr("联络员工作台"), str(error))


def _ask_read_only(parent: QWidget | None, error: WorkspaceLocked) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("联络员工作台"), error.message, parent=parent)
    box.setInformativeText(_tr("以只读方式打开可以查看任务和佐证材料，但不能做任何修改。"))
    read_only = box.addButton(_tr("以只读方式打开"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("退出"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only


def open_workspace(path: Path, parent: QWidget | None = None) -> Workspace | None:
    """Open for writing; when another window holds it, offer read-only. None when it cannot or should not open
    (the reason has been shown)."""
    try:
        return Workspace.open(path)
    except WorkspaceLocked as err:
        if not _ask_read_only(parent, err):
            return None
        try:
            return Workspace.open(path, read_only=True)
        except LiaisonError as again:
            _warn(parent, again)
            return None
    except LiaisonError as err:
        _warn(parent, err)
        return None


def run_first_run(default_dir: Path) -> Workspace | None:
    """The first-run dialog: create or pick a workspace, set the unit and liaison. None when the user gave up."""
    from .welcome import WelcomeDialog  # only a first run needs it

    dialog = WelcomeDialog(default_dir)
    opened: list[Workspace] = []
    dialog.completed.connect(opened.append)
    dialog.exec()
    return opened[0] if opened else None


# ----- running -------------------------------------------------------------------------------------------------
def _screenshot(args: argparse.Namespace) -> int:
    where = find_workspace(args.workspace)
    if where is None:
        print(f"找不到工作区{f' {args.workspace}' if args.workspace else ''}。", file=sys.stderr)
        return 2
    try:
        try:
            ws = Workspace.open(where)
        except WorkspaceLocked:
            ws = Workspace.open(where, read_only=True)
    except LiaisonError as err:
        print(err, file=sys.stderr)
        return 2
    try:
        window = MainWindow(ws, today=args.today, remember=False)
        window.resize(*SCREENSHOT_SIZE)
        view = args.view or "tasks"
        window.show_view(view)
        if view == "tasks" and window.tasks_view.proxy.rowCount():
            window.tasks_view.select_proxy_row(0)
        window.show()
        QApplication.processEvents()
        saved = window.grab().save(str(args.screenshot), "PNG")
        window.close()
        window.deleteLater()
    finally:
        ws.close()
    if not saved:
        print(f"无法写入截图 {args.screenshot}。", file=sys.stderr)
        return 2
    return 0


def _install_excepthook(window: QWidget) -> None:
    """An exception escaping a slot: a plain message for a LiaisonError, a crash report for a bug — never silence."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        if sys.stderr is not None:  # the windowed Windows build has no stderr
            sys.stderr.write(details)
        if not isinstance(error, LiaisonError):
            report = write_crash_report(details)
            if report is not None:
                details = f"{_tr('这份报告也已保存在：')}{report}\n\n{details}"
        show_error(window, error, details=details)

    sys.excepthook = hook


class _Session:
    """The open workspace and its window; builds the window again on another workspace or in another language."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.window = self._make_window()

    def _make_window(self, view: str | None = None) -> MainWindow:
        window = MainWindow(self.ws)
        if view:
            window.show_view(view)
        window.reopen_requested.connect(self.reopen)
        _install_excepthook(window)
        return window

    def reopen(self, folder: Path | None) -> None:
        old_window, old_ws = self.window, self.ws
        view = old_window.current_view
        if folder is not None:
            if (folder / DB_NAME).resolve() == old_ws.db_path.resolve():
                return
            if not (folder / DB_NAME).is_file():
                old_window.message_bar.show_message(
                    _tr("{0} 不是联络员工作台的工作区（里面没有 {1}），仍在使用原来的工作区。").format(folder, DB_NAME), "error")
                return
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.setQuitOnLastWindowClosed(False)  # between the old window and the new one, no window is open
        try:
            if not old_window.close():  # saves the note being edited; the user may keep a busy window open
                return
            if folder is not None:
                ws = open_workspace(folder, None)
                if ws is None:
                    old_window.show()
                    return
                self.ws = ws
                app_settings().setValue(_LAST_WORKSPACE, str(ws.root))
                old_ws.close()
            self.window = self._make_window(view)
            self.window.show()
            old_window.deleteLater()
        finally:
            app.setQuitOnLastWindowClosed(True)

    def close(self) -> None:
        self.ws.close()


NO_DISPLAY_MESSAGE = ("liaison-desk: 没有可用的图形显示（DISPLAY 和 WAYLAND_DISPLAY 都未设置），桌面窗口无法打开；"
                      "请在图形桌面中运行，或用命令行 `liaison` 完成同样的工作（截图可用 --screenshot，会自动离屏渲染）。")


def _display_missing() -> bool:
    """True on a Linux (or other X11/Wayland) machine without a display, where Qt would abort inside its xcb
    plugin with a message about libraries instead of saying what is wrong."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    if QApplication.instance() is None and _display_missing():
        if args.screenshot is None:
            print(NO_DISPLAY_MESSAGE, file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = _application()
    if args.screenshot is not None:
        return _screenshot(args)
    where = find_workspace(args.workspace)
    ws = open_workspace(where) if where is not None else run_first_run(args.workspace or paths.default_workspace())
    if ws is None:
        return 0
    app_settings().setValue(_LAST_WORKSPACE, str(ws.root))
    try:
        session = _Session(ws)
    except LiaisonError as err:  # the database could be read when opened but not now (damaged, vanished)
        _warn(None, err)
        ws.close()
        return 2
    try:
        if args.view:
            session.window.show_view(args.view)
        session.window.show()
        return app.exec()
    finally:
        session.close()
