"""`liaison identity`, `packet`, `verify` and `demo`: signing identities, signed packets and checking them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from .. import glossary as g
from ..errors import InputError
from ..filenames import printable
from ..periods import Period
from .common import open_workspace, print_json, progress_bar

PASSWORD_ENV = "LIAISON_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("identity", help="签名身份：创建密钥和证书，导出证书 (identity create | cert)")
    id_sub = p.add_subparsers(dest="identity_command", metavar="ACTION")
    create = id_sub.add_parser("create", help="创建密钥对和自签名证书，存入有密码保护的 PKCS#12 文件")
    create.add_argument("--name", required=True, metavar="NAME", help="联络员姓名")
    create.add_argument("--department", required=True, metavar="NAME", help="科室名称")
    create.add_argument("--bureau", default="", metavar="NAME", help="局名称（可选）")
    create.add_argument("--out", required=True, metavar="FILE.p12", help="PKCS#12 文件（不会覆盖已有文件）")
    create.add_argument("--key", choices=["ec", "rsa"], default="ec", help="ec = ECDSA P-256（默认），rsa = RSA 3072")
    create.add_argument("--cert-out", metavar="CERT.pem", help="同时导出公钥证书（交给办公室和核查人员）")
    create.set_defaults(func=cmd_identity_create)
    cert = id_sub.add_parser("cert", help="从 PKCS#12 导出公钥证书（PEM），并显示其指纹")
    cert.add_argument("p12", metavar="FILE.p12")
    cert.add_argument("--out", metavar="CERT.pem", help="写到这个文件（默认只显示）")
    cert.set_defaults(func=cmd_identity_cert)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = sub.add_parser("packet", help="生成带签名的材料包（PDF、Excel、佐证材料、清单和签名）")
    p.add_argument("--period", required=True, metavar="YYYY|YYYY-MM|YYYY-Qn", help="报送期间：全年、月份或季度")
    p.add_argument("--department", metavar="NAME", help="科室（默认本科室）")
    p.add_argument("--identity", required=True, metavar="FILE.p12", help="签名身份（密码取自 LIAISON_PASSWORD 或提示输入）")
    p.add_argument("--out", metavar="DIR", help="保存到这个文件夹（默认工作区的 packets/）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_packet)

    p = sub.add_parser("verify", help="核验材料包：签名、每个文件的哈希、缺少或多出的文件 (exit 0 完好, 1 有问题, 2 无法读取)")
    p.add_argument("packet", metavar="PACKET.zip")
    p.add_argument("--trust", metavar="CERT.pem", action="append", default=[], help="信任的证书，可多次使用")
    p.add_argument("--require-trusted", action="store_true", help="签名人不在信任列表中时也算不通过（exit 1）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("demo", help="用内置示例表格演示：进度、证据、月度案例、签名材料包和核验")
    p.add_argument("--out", metavar="DIR", default="demo-output", help="输出文件夹（默认 ./demo-output）")
    p.set_defaults(func=cmd_demo)


def read_password(*, confirm: bool = False) -> str:
    """The identity password: $LIAISON_PASSWORD, else asked for on the terminal (never echoed, never stored)."""
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise InputError(f"需要签名身份的密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入。")
    first = getpass.getpass("签名身份密码：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise InputError("两次输入的密码不一致。")
    return first


def cmd_identity_create(args: argparse.Namespace) -> int:
    from ..packets.identity import create_identity

    identity = create_identity(args.out, name=args.name, department=args.department, bureau=args.bureau,
                               password=read_password(confirm=True), key_type=args.key)
    print(f"已创建签名身份：{args.out}")
    print(f"证书：{identity.certificate.subject.rfc4514_string()}，有效期至 "
          f"{identity.certificate.not_valid_after_utc.date().isoformat()}")
    print(f"证书 SHA-256 指纹：{identity.fingerprint}")
    if args.cert_out:
        _write_cert(Path(args.cert_out), identity.certificate_pem())
        print(f"公钥证书已导出：{args.cert_out}（交给办公室和核查人员，加入信任列表）")
    return 0


def _write_cert(path: Path, pem: bytes) -> None:
    try:
        path.write_bytes(pem)
    except OSError as exc:
        raise InputError(f"无法写入证书文件 {path}：{exc.strerror or exc}。") from exc


def cmd_identity_cert(args: argparse.Namespace) -> int:
    from ..packets.identity import load_identity

    identity = load_identity(args.p12, read_password())
    if args.out:
        _write_cert(Path(args.out), identity.certificate_pem())
        print(f"公钥证书已导出：{args.out}")
    else:
        sys.stdout.write(identity.certificate_pem().decode("ascii"))
    print(f"证书 SHA-256 指纹：{identity.fingerprint}", file=sys.stderr if not args.out else sys.stdout)
    return 0


def cmd_packet(args: argparse.Namespace) -> int:
    from ..packets.identity import load_identity
    from ..packets.package import build_packet

    period = Period.parse(args.period)
    identity = load_identity(args.identity, read_password())
    with open_workspace(args) as ws:
        result = build_packet(ws, period=period, identity=identity, out_dir=args.out, department=args.department,
                              progress=None if args.json else progress_bar("生成材料包"))
    counts = result.manifest["counts"]
    if args.json:
        print_json({"path": str(result.path), "sha256": result.sha256, "size": result.size,
                    "period": period.slug, "department": result.content.department, "counts": counts,
                    "signer_sha256": result.manifest["signer"]["certificate_sha256"]})
        return 0
    print(f"材料包：{result.path}（{result.size / 1024:.0f} KB）")
    c = result.content
    print(f"{c.department} {period.label}（状态截至 {c.today.isoformat()}）：任务 {g.count(counts['tasks'], g.TASK)}"
          f"（已完成 {g.count(counts['done'], g.TASK)}，本期内完成 {g.count(counts['done_in_period'], g.TASK)}），"
          f"佐证材料 {g.count(counts['evidence'], g.EVIDENCE)}，月度案例 {g.count(counts['cases'], g.CASE)}。")
    print(f"依据文件：{'；'.join(s.doc_number or s.title or s.file_name for s in c.sources)}")
    if c.drafts:
        print(f"{g.DRAFT_LEFT_OUT}：" + "、".join(f"{d.month}《{d.title}》" for d in c.drafts)
              + "（定稿后重新生成即可纳入：liaison case finalise CASE_ID）")
    print(f"签名人证书指纹：{result.manifest['signer']['certificate_sha256']}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from ..packets.identity import load_certificates
    from ..packets.verify import verify_packet

    trusted = [c for path in args.trust for c in load_certificates(path)]
    bar = None if args.json else progress_bar("核验")
    result = verify_packet(args.packet, trusted=trusted, progress=bar)
    failed = not result.intact or (args.require_trusted and not result.trusted)
    if args.json:
        print_json(result.as_dict())
        return 1 if failed else 0
    m = result.manifest
    print(f"材料包：{result.packet}")
    if m:
        print(printable(f"报送：{m.get('bureau', '')}{m.get('department', '')}，"
                        f"{(m.get('period') or {}).get('label', '')}，联络员 {m.get('liaison', '')}"))
    if result.signer_fingerprint:
        when = result.signed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if result.signed_at else "未知"
        print(printable(f"签名人：{result.signer_name or '未知'}（{result.signer_department or ''}），签名时间 {when}"))
        print(f"证书指纹：{result.signer_fingerprint}")
        print("签名人：受信任" if result.trusted else
              "签名人：不在信任列表中（签名本身完好，但无法确认签名人身份；可用 --trust 指定对方提供的证书）")
    print(f"核对了 {result.files_checked} 个文件。")
    if m.get("kind") == "rollup":  # a bureau's consolidated packet (liaison rollup packet)
        print(f"内含 {len(m.get('packets') or [])} 个科室材料包，已逐一核验各自的签名和文件。")
    if result.intact:
        print(f"核验结果：{result.verdict}。")
    else:
        print(f"核验结果：{result.verdict}：")
        for p in result.problems:
            print(f"  - {p.file or '材料包'}：{printable(p.message)}")
    if args.require_trusted and not result.trusted:
        print("要求签名人受信任（--require-trusted），但签名人不在信任列表中。")
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import run_demo

    run_demo(Path(args.out), progress=progress_bar("演示"), echo=print)
    return 0
