"""核验说明: how anyone checks a packet, with or without Liaison Desk, on Linux and on Windows. Written once here;
核验说明.txt and the PDF's last section are both rendered from these blocks, so they never say different things."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .content import PacketContent

__all__ = ["GuideBlock", "guide_blocks", "guide_text", "grouped_fingerprint", "PACKET_PLACEHOLDER"]

PACKET_PLACEHOLDER: Final = "材料包.zip"
"""How the commands name the packet file (the reader puts the name of the file received)."""


@dataclass(frozen=True)
class GuideBlock:
    kind: Literal["title", "heading", "text", "command", "fingerprint"]
    text: str


def grouped_fingerprint(hex_digest: str) -> str:
    """The certificate's SHA-256 in groups of four, upper case, as inspectors read it aloud on the phone."""
    return " ".join(hex_digest[i:i + 4] for i in range(0, len(hex_digest), 4)).upper()


# Windows PowerShell: every line of SHA256SUMS checked like `sha256sum -c` does (OK / FAILED per file).
_POWERSHELL_CHECK: Final = (
    "Get-Content SHA256SUMS -Encoding UTF8 | ForEach-Object { $h, $f = $_ -split '\\s+', 2; "
    "if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -eq $h) { \"OK $f\" } else { \"FAILED $f\" } }"
)


def guide_blocks(content: PacketContent) -> list[GuideBlock]:
    c = content
    b = GuideBlock
    who = f"{c.bureau}{c.department}，联络员 {c.liaison}" if c.liaison else f"{c.bureau}{c.department}"
    out = [
        b("title", "核验说明"),
        b("text", f"本材料包由联络员工作台生成：{who}，期间 {c.period.label}，生成于 "
                  f"{c.generated_at:%Y-%m-%d %H:%M}。"),
        b("text", "材料包（zip 文件）内有：report.pdf（带电子签名的报告）、report.xlsx（同一内容的表格）、"
                  "report.docx（可编辑的报告）、evidence/（佐证材料，以任务序号开头命名）、"
                  "manifest.json（每个文件的路径、大小和 SHA-256）、manifest.p7s（对 manifest.json 的 CMS 签名）、"
                  "signer.pem（签名人证书）、SHA256SUMS（全部文件的 SHA-256）和本核验说明。"
                  "任何一个文件被改动、增加或删除，下面的核验都会失败。"),
        b("heading", "一、核对签名人证书"),
    ]
    if c.signer:
        out += [
            b("text", f"签名人：{c.signer.name}（{c.signer.department}）。签名人证书 signer.pem 的 SHA-256 指纹："),
            b("fingerprint", grouped_fingerprint(c.signer.fingerprint_sha256)),
            b("text", "请通过电话或当面向签名人（或局办公室）核对这个指纹，一致后再信任 signer.pem。"
                      "查看 signer.pem 指纹的命令（Linux 或 Windows 均可用 OpenSSL）："),
            b("command", "openssl x509 -in signer.pem -noout -fingerprint -sha256"),
            b("text", "Windows 命令提示符（看“Cert Hash(sha256)”或“证书哈希(sha256)”一行）："),
            b("command", "certutil -dump signer.pem"),
        ]
    else:
        out.append(b("text", "本报告生成时未签名：没有签名人证书，签名核验不适用，只能核对文件哈希。"))
    out += [
        b("heading", "二、用联络员工作台核验"),
        b("text", f"在装有联络员工作台的电脑上运行（把 {PACKET_PLACEHOLDER} 换成收到的文件名），或在程序的"
                  "“材料包”页选择“核验”。它检查 PDF 签名、清单签名和每个文件的哈希，并逐一指出被改动的文件："),
        b("command", f"liaison verify {PACKET_PLACEHOLDER} --trust signer.pem"),
        b("heading", "三、不用本程序核验"),
        b("text", "先解压材料包，在解压出的文件夹中运行下面的命令。"),
        b("text", "1. 清单签名（OpenSSL，显示 Verification successful 即 manifest.json 未被改动、且由 signer.pem "
                  "的持有人签名；Windows 上把 /dev/null 换成 NUL）："),
        b("command", "openssl cms -verify -binary -inform DER -in manifest.p7s -content manifest.json "
                     "-CAfile signer.pem -purpose any -out /dev/null"),
        b("text", "2. 每个文件的哈希，Linux（每一行都应显示 OK）："),
        b("command", "sha256sum -c SHA256SUMS"),
        b("text", "Windows PowerShell（每一行都应显示 OK）："),
        b("command", _POWERSHELL_CHECK),
        b("text", "Windows 命令提示符（逐个文件运行，把显示的哈希与 SHA256SUMS 中同名文件的那一行比较）："),
        b("command", "certutil -hashfile report.pdf SHA256"),
        b("text", "3. PDF 签名：用 Adobe Acrobat Reader 等阅读器打开 report.pdf，签名面板应显示签名有效、"
                  "签名后文档未被修改；在 Linux 上也可以运行："),
        b("command", "pdfsig report.pdf"),
        b("heading", "四、结论"),
        b("text", "只有当签名人证书的指纹与您核对过的指纹一致时，签名才能证明材料由该联络员报送；"
                  "上面任何一项核验失败，都说明材料包在签名后被改动或已损坏。"),
    ]
    return out


def guide_text(content: PacketContent) -> str:
    """核验说明.txt: the blocks as plain text with Windows line ends (Notepad shows them right)."""
    lines: list[str] = []
    for block in guide_blocks(content):
        if block.kind == "heading":
            lines += ["", block.text]
        elif block.kind in ("command", "fingerprint"):
            lines.append("    " + block.text)
        else:
            lines.append(block.text)
            if block.kind == "title":
                lines.append("")
    return "\r\n".join(lines) + "\r\n"
