"""Charts for the documents, drawn with matplotlib (Agg, no display) as PNG bytes for DOCX.

DejaVu Sans ships with matplotlib and has every Vietnamese letter, so the charts look the
same on every machine without a font download.
"""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

FONT = "DejaVu Sans"
STATUS_COLOURS = {
    "done": "#1f7a3e", "in_progress": "#d08c00", "not_started": "#b3261e", "not_applicable": "#9aa4b1",
    "missing": "#e3e7ec",
}
STATUS_LABELS = {
    "done": "Hoàn thành", "in_progress": "Đang thực hiện", "not_started": "Chưa triển khai",
    "not_applicable": "Không áp dụng", "missing": "Chưa báo cáo",
}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buffer.getvalue()


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def progress_by_year(rows: list[tuple[int, dict[str, int]]]) -> bytes:
    """Stacked bars: for each year, the share of assigned tasks in each status."""
    fig, ax = plt.subplots(figsize=(6.3, 2.9))
    plt.rcParams["font.family"] = FONT
    years = list(range(len(rows)))
    bottoms = [0.0] * len(rows)
    for status in STATUS_COLOURS:
        shares = []
        for _, counts in rows:
            total = sum(counts.values()) or 1
            shares.append(100.0 * counts.get(status, 0) / total)
        ax.bar(years, shares, bottom=bottoms, color=STATUS_COLOURS[status], label=STATUS_LABELS[status],
               width=0.55, edgecolor="white", linewidth=0.5)
        for i, share in enumerate(shares):
            if share >= 8:
                ax.text(i, bottoms[i] + share / 2, f"{share:.0f}%", ha="center", va="center", fontsize=7,
                        color="white" if status in ("done", "not_started", "in_progress") else "#333")
        bottoms = [b + s for b, s in zip(bottoms, shares)]
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y, _ in rows])
    ax.set_ylim(0, 100)
    ax.set_ylabel("% lượt nhiệm vụ được giao", fontsize=8)
    ax.legend(fontsize=7, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    _style(ax)
    return _png(fig)


def indicator_series(series: list[dict]) -> bytes:
    """One small panel per indicator: the value year by year against the 2025 and 2030 targets.

    `series`: [{"label": "1. …", "points": [(year, value or None)], "targets": {2025: 90.0, 2030: 100.0}}].
    """
    plt.rcParams["font.family"] = FONT
    count = max(1, len(series))
    cols = 3 if count > 4 else count
    rows = (count + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6.5, 2.1 * rows), squeeze=False)
    years = sorted({y for item in series for y, _ in item["points"]})
    for index, item in enumerate(series):
        ax = axes[index // cols][index % cols]
        points = [(y, v) for y, v in item["points"] if v is not None]
        if points:
            ax.plot([y for y, _ in points], [v for _, v in points], marker="o", color="#0b5d8f", linewidth=1.5,
                    markersize=3.5)
            for y, v in points:
                ax.annotate(f"{v:.0f}", (y, v), textcoords="offset points", xytext=(0, 4), ha="center", fontsize=6.5)
        for year, colour in ((2025, "#d08c00"), (2030, "#1f7a3e")):
            target = item.get("targets", {}).get(year)
            if target is not None:
                ax.axhline(target, color=colour, linestyle="--", linewidth=0.9)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        ax.set_xlim(years[0] - 0.4, years[-1] + 0.4) if years else None
        ax.set_ylim(0, 112)
        ax.set_title(item["label"], fontsize=7.5, loc="left")
        _style(ax)
    handles = [plt.Line2D([], [], color="#0b5d8f", marker="o", markersize=3.5, label="Kết quả (%)"),
               plt.Line2D([], [], color="#d08c00", linestyle="--", label="Mốc 2025"),
               plt.Line2D([], [], color="#1f7a3e", linestyle="--", label="Mốc 2030")]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.02))
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    for index in range(count, rows * cols):
        axes[index // cols][index % cols].axis("off")
    fig.tight_layout()
    return _png(fig)
