"""Turning a docx template and a context into a docx (docxtpl) and a PDF (LibreOffice headless).

Templates may be uploaded by administrators, so Jinja runs sandboxed, escapes every value into
the document's XML, and treats a missing variable as an error rather than printing nothing:
a legal document with a silently empty field is worse than no document.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .formatting import FILTERS

BUILTIN_DIR = Path(__file__).resolve().parent / "templates_docx"
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PDF_TIMEOUT_SECONDS = getattr(settings, "ZHIFA_PDF_TIMEOUT", 120)


class RenderError(ValidationError):
    """A document could not be produced; the message says why, in Chinese."""


def jinja_env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def builtin_template_path(kind_code: str) -> Path:
    return BUILTIN_DIR / f"{kind_code}.docx"


def _open_template(source: bytes) -> DocxTemplate:
    if not zipfile.is_zipfile(BytesIO(source)):
        raise RenderError("模板文件不是有效的Word文档（.docx）。")
    try:
        return DocxTemplate(BytesIO(source))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise RenderError("模板文件不是有效的Word文档（.docx），或已损坏。") from exc


def template_variables(source: bytes) -> set[str]:
    """Top-level names a template uses; raises RenderError when its Jinja does not compile."""
    template = _open_template(source)
    try:
        return template.get_undeclared_template_variables(jinja_env())
    except TemplateError as exc:
        raise RenderError(f"模板中的标记有语法错误：{_describe(exc)}") from exc


def render_docx(source: bytes, context: dict) -> bytes:
    """Render a docx template (its bytes) with ``context``; returns the docx bytes."""
    template = _open_template(source)
    try:
        template.render(context, jinja_env())
    except UndefinedError as exc:
        raise RenderError(f"模板引用了文书数据中没有的内容：{_describe(exc)}") from exc
    except TemplateError as exc:
        raise RenderError(f"模板无法生成文书：{_describe(exc)}") from exc
    except etree.XMLSyntaxError as exc:
        raise RenderError("模板生成的文档结构无效，请检查模板中的标记是否完整、成对。") from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise RenderError(f"文书数据格式不正确：{exc}") from exc
    buffer = BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _describe(exc: Exception) -> str:
    message = str(exc)
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", message)
    if match:
        return f"“{match.group(1) or match.group(2)}”未定义"
    line = f"（第{exc.lineno}行附近）" if getattr(exc, "lineno", None) else ""
    return f"{message}{line}"


def docx_text(docx: bytes) -> str:
    """The visible text of a docx, one paragraph per line (body, headers, footers)."""
    lines = []
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        parts = ["word/document.xml"] + sorted(
            name for name in archive.namelist() if re.match(r"word/(header|footer)\d*\.xml$", name)
        )
        for name in parts:
            root = etree.fromstring(archive.read(name))
            for paragraph in root.iter(f"{WORD_NS}p"):
                lines.append("".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t")))
    return "\n".join(lines)


# --- PDF --------------------------------------------------------------------------------------
def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes, timeout: float = PDF_TIMEOUT_SECONDS) -> bytes:
    """Convert docx bytes to PDF with LibreOffice headless.

    Each conversion gets its own temporary directory and LibreOffice profile
    (``-env:UserInstallation``), so parallel conversions never share a lock or a profile.
    """
    binary = soffice_binary()
    if binary is None:
        raise RenderError(
            "服务器未安装LibreOffice，无法生成PDF。请在服务器上执行 make system-deps"
            "（或 apt-get install libreoffice-writer-nogui fonts-noto-cjk）。"
        )
    with tempfile.TemporaryDirectory(prefix="zhifa-pdf-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(docx)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        _run(command, work, timeout)
        target = work / "document.pdf"
        pdf = target.read_bytes() if target.exists() else b""
    if not pdf.startswith(b"%PDF-"):
        raise RenderError("LibreOffice未能生成PDF，请检查文书模板是否能在Word中正常打开。")
    return pdf


def _run(command: list[str], work: Path, timeout: float) -> None:
    env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
    # A session of its own, so a timeout can end soffice.bin too and not only its launcher.
    process = subprocess.Popen(
        command,
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RenderError(f"生成PDF超时（超过{int(timeout)}秒），请稍后重试。") from exc
