"""Figures for lesson 05 (AlexNet): error curves of the small experiments, layer shares.

Matplotlib's object API (``Figure``, no pyplot state); each function returns its figure, to be
shown with :func:`helpers.plots.show`.

>>> rec = {"train_error": [0.8, 0.5, 0.2], "test_error": [0.8, 0.6, 0.5], "steps_per_epoch": 10}
>>> fig = plot_error_curves({"relu": rec})
>>> len(fig.axes)
1
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._checks import check_array, check_real, check_text, positive_int

_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
_MARKERS = ("o", "s", "^", "D", "v", "x")   # each record also gets its own marker: told apart without colour


def _ax(ax, figsize):
    if ax is not None:
        return ax
    return Figure(figsize=figsize, dpi=80, layout="constrained").add_subplot()


def plot_error_curves(records: dict, *, keys=("train_error",), target: float | None = None, ax=None,
                      title: str | None = None) -> Figure:
    """Error rate against training iterations for each ``label -> record`` of
    :func:`helpers.experiments.train_and_record` (at ``record["steps"]`` when recorded, else once
    per epoch); train solid, test dashed; ``target`` (an error rate from 0 to 1) as a line."""
    _check_records(records, keys)
    if target is not None:
        check_real("target", target, low=0, high=1)
    check_text("title", title)
    ax = _ax(ax, (5.5, 3.2))
    styles = {"train_error": "-", "test_error": "--"}
    repeat = len(records) // len(_COLORS) + 1
    for color, marker, (label, rec) in zip(list(_COLORS) * repeat, list(_MARKERS) * repeat, records.items()):
        steps = rec.get("steps")
        if steps is None or not len(steps):  # once per epoch
            steps = list(np.arange(1, len(rec[keys[0]]) + 1) * rec["steps_per_epoch"])
        for key in keys:
            ax.plot(steps, rec[key], styles.get(key, ":"), color=color, marker=marker, markersize=4,
                    label=f"{label} ({key.split('_')[0]})" if len(keys) > 1 else label)
    if target is not None:
        ax.axhline(target, color="grey", linewidth=0.8, linestyle=":")
        ax.text(ax.get_xlim()[1], target, f" {target:.0%}", va="center", ha="left", fontsize=8, color="grey")
    ax.set_xlabel("training iterations (mini-batches)")
    ax.set_ylabel("error rate")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


def _check_records(records, keys) -> None:
    """``records``: label -> a record holding each of ``keys`` (error rates) and its x positions."""
    if isinstance(keys, (str, bytes)) or not isinstance(keys, (list, tuple)) or not keys or not all(
            isinstance(k, str) for k in keys):
        raise TypeError(f"keys must be a list of record keys, e.g. ('train_error', 'test_error'); got {keys!r}")
    if not isinstance(records, dict) or not records:
        raise TypeError(f"records must be a non-empty dict: label -> record of train_and_record; got {records!r}")
    for label, rec in records.items():
        where = f"records[{label!r}]"
        if not isinstance(rec, dict):
            raise TypeError(f"{where} must be a record (a dict) of train_and_record; got {type(rec).__name__}")
        missing = [k for k in keys if k not in rec]
        if missing:
            raise ValueError(f"keys: {where} has no {missing}; it holds {sorted(rec)}")
        lengths = {len(check_array(f"{where}[{k!r}]", rec[k], ndim=1, empty=False)) for k in keys}
        if rec.get("steps") is not None and len(check_array(f"{where}['steps']", rec["steps"], ndim=1)):
            lengths.add(len(rec["steps"]))
        else:
            positive_int(f"{where}['steps_per_epoch']", rec.get("steps_per_epoch"))
        if len(lengths) != 1:
            raise ValueError(f"{where} must hold one value per point in each of {list(keys)} (and 'steps'); got "
                             f"lengths {sorted(lengths)}")


def plot_layer_shares(trace, *, ax=None, title: str | None = None) -> Figure:
    """Per weighted layer of a :func:`helpers.shape_trace`: its share of the parameters and of the
    multiply-adds (two bars each), so the conv/FC division of labour is visible at a glance."""
    from ..trace import ShapeTrace

    if not isinstance(trace, ShapeTrace):
        raise TypeError(f"trace must be a ShapeTrace, as helpers.shape_trace returns; got {type(trace).__name__}")
    if trace.not_counted:
        raise ValueError(f"trace: the multiply-adds of {trace.not_counted} are not counted (a layer type "
                         "shape_trace does not know), so their shares cannot be drawn")
    check_text("title", title)
    rows = [r for r in trace.rows if r.params or r.multiply_adds]
    ax = _ax(ax, (6.5, 3))
    x = np.arange(len(rows))
    params = np.array([r.params for r in rows], dtype=float) / max(trace.total_params, 1)
    macs = np.array([r.multiply_adds for r in rows], dtype=float) / max(trace.total_multiply_adds, 1)
    ax.bar(x - 0.2, params, 0.4, label="share of parameters", color="#1f77b4")
    ax.bar(x + 0.2, macs, 0.4, label="share of multiply-adds", color="#ff7f0e")
    ax.set_xticks(x, [r.name for r in rows], fontsize=8)
    ax.set_xlabel("layer (weighted layers only)")
    ax.set_ylabel("share of the network's total")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


__all__ = ["plot_error_curves", "plot_layer_shares"]
