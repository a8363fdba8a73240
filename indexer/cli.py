"""Command line: ``python -m indexer build`` and ``python -m indexer inspect``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from indexer.config import describe_settings, load_settings
from indexer.document.record import load_document
from indexer.source.corpus import UnreadableDocumentError, discover, read_document
from indexer.source.layout import Layout
from indexer.store.build import BuildError, build


def _help_settings(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click.echo(describe_settings())
        ctx.exit()


@click.group()
@click.option(
    "--help-settings",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_help_settings,
    help="Show every setting and its default.",
)
def cli() -> None:
    """Build and inspect the oversight-portal passage index."""


@cli.command("build")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path),
    help="Folder of documents [default: OVERSIGHT_CORPUS_DIR or corpus].",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    help="Index folder to write [default: OVERSIGHT_INDEX_DIR or var/index].",
)
@click.option(
    "--force", is_flag=True, help="Rebuild even when the corpus is unchanged."
)
@click.option("--quiet", is_flag=True, help="Print only the summary.")
def build_command(
    corpus_dir: Path | None, index_dir: Path | None, force: bool, quiet: bool
) -> None:
    """Index every document in the corpus folder, unless the index is current."""
    settings = load_settings()
    corpus_dir = corpus_dir or Path(settings["CORPUS_DIR"])
    index_dir = index_dir or Path(settings["INDEX_DIR"])
    # Counting the files walks the corpus: only worth it for a progress bar.
    total = len(discover(corpus_dir)[0]) if corpus_dir.is_dir() and not quiet else 0
    with click.progressbar(
        length=total, label="Indexing", file=None, hidden=quiet or total == 0
    ) as bar:
        try:
            report = build(
                corpus_dir,
                index_dir,
                force=force,
                max_file_mb=settings["MAX_FILE_MB"],
                progress=lambda _source: bar.update(1),
            )
        except BuildError as exc:
            raise click.ClickException(str(exc)) from exc
    state = "up to date" if report.up_to_date else f"built in {report.seconds:.1f}s"
    click.echo(
        f"Index {index_dir / report.generation}: {state}; "
        f"{report.documents} documents, {report.passages} passages, "
        f"{len(report.problems)} problems"
    )
    for problem in report.damaged:
        click.echo(f"  rebuilt: the served generation was damaged: {problem}")
    for name in report.recovered:
        click.echo(f"  removed {name}, left by an interrupted build")
    for problem in report.problems:
        click.echo(f"  {problem}")


@cli.command("inspect")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def inspect_command(file: Path, as_json: bool) -> None:
    """Show the metadata and passages extracted from FILE, without indexing it.

    For a PDF or Word file it also shows the pages, which pages OCR read, the
    file's own properties and every line dropped as page furniture.
    """
    settings = load_settings()
    try:
        raw = read_document(file, file.parent, settings["MAX_FILE_MB"] * 1_000_000)
    except UnreadableDocumentError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    doc = load_document(raw)
    layout = raw.layout or Layout()
    if as_json:
        data = doc.summary() | {
            "furniture": doc.furniture,
            "pages": layout.pages or None,
            "ocr_pages": layout.ocr_pages,
            "dropped": layout.furniture,
            "properties": layout.properties,
            "warnings": raw.warnings + doc.warnings,
            "passages_list": [vars(p) for p in doc.passages],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for key, value in doc.summary().items():
        click.echo(f"{key:>15}: {value}")
    if layout.pages:
        ocr = f" (OCR: {_numbers(layout.ocr_pages)})" if layout.ocr_pages else ""
        click.echo(f"{'pages':>15}: {layout.pages}{ocr}")
    for key, value in layout.properties.items():
        click.echo(f"{'file ' + key:>15}: {value}")
    for role, text in doc.furniture:
        click.echo(f"{'[' + role + ']':>17} {text}")
    for text, count in Counter(layout.furniture).items():
        times = f" (x{count})" if count > 1 else ""
        click.echo(f"{'[dropped]':>17} {text}{times}")
    for warning in raw.warnings + doc.warnings:
        click.echo(f"        warning: {warning}")
    for p in doc.passages:
        where = f" ({p.section})" if p.section else ""
        label = f" [{p.label}]" if p.label else ""
        page = f" p. {p.page}" if p.page else ""
        ocr = " [OCR]" if p.ocr else ""
        click.echo(
            f"\n{p.position:>3} {p.id} {p.kind}{page}{ocr}{where}{label} "
            f"{p.forces or ''}"
        )
        click.echo("    " + p.text.replace("\n", "\n    "))


def _numbers(pages: list[int]) -> str:
    return ", ".join(map(str, pages))


def main() -> None:
    """Run the command line."""
    cli(prog_name="oversight-index")
