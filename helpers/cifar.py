"""Lesson 06's recipe: train ``alexnet("cifar")`` on CIFAR-10 to high accuracy on a small CPU.

The parts, each a small function, all used by :func:`train_cifar` (and by ``benchmarks/alexnet_cifar10.py``):

- :func:`helpers.preprocessing.channel_stats` / :class:`helpers.preprocessing.normalizer`: per-channel
  standardisation of uint8 batches (the inputs).
- :func:`whitening_kernel` / :func:`whiten_conv1`: conv1 set to the whitening filters of 3×3 patches
  of the training set (eigenvectors of the patch covariance scaled by 1/√eigenvalue, each with both
  signs) and frozen, the trick of the CIFAR-10 speed records (tysam-code's hlb-CIFAR10, Keller
  Jordan's airbench, 2024).
- :data:`RECIPES` (``"class"``, ``"long"``) and :func:`split_validation`: alternating flips and 2-pixel translations, SGD with Nesterov momentum, one epoch of warm-up
  then a cosine decay, weight decay on kernels only, label smoothing, batch 256.
- :func:`precision_policy`: bfloat16 mixed precision where the hardware runs bf16 natively (a CPU
  with AVX512-BF16 or AMX, an NVIDIA GPU of compute capability 8.0 or more), float16 mixed precision
  with loss scaling on a GPU of compute capability 7.x (Colab's free T4 is 7.5), float32 elsewhere.
  (Only the CPU branches ran on this project's machines; the GPU branches are unit-tested with faked
  device details.)
- :func:`predict_tta`: test-time augmentation, averaging the predictions for an image, its mirror and
  both moved by one pixel.

The example is not run by the doctests (``# doctest: +SKIP``): it needs CIFAR-10 and trains the class recipe
for about 8 minutes on 2 CPU cores with bfloat16; ``docs/benchmarks.md`` holds its measured results.

>>> import helpers
>>> run = train_cifar(helpers.load_cifar10())                        # doctest: +SKIP
>>> round(run.test_accuracy, 4), round(run.tta_accuracy, 4)         # doctest: +SKIP
(0.8416, 0.8586)
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np

from ._checks import (check_array, check_bool, check_callable, check_model, check_real, check_seed, check_size,
                      is_int, is_number, positive_int)
from .alexnet_model import alexnet
from .augment import FlipTranslate
from .config import DEFAULT_SEED, quick_mode
from .preprocessing import channel_stats, normalizer, shift
from .train import QUICK_SUBSET, TrainResult, check_predictor, cosine_schedule, fit, predict

#: The two recipes of lesson 06 and of benchmarks/alexnet_cifar10.py (docs/benchmarks.md says what each part
#: adds and on which split each choice was made). Both hold out 5,000 training images for validation, on which
#: every choice was made; the final fit (``train_cifar(..., validation=0)``) then trains the chosen recipe once
#: on all 50,000 training images.
#: "class": the lesson's default full run, sized for a lecture: half-width AlexNet, fewer epochs.
#: "long": the self-study run at full width.
_COMMON = dict(
    batch_size=256,         # over 512 at half the learning rate: validation 84.30% vs 83.64% (class, 12 epochs), less memory
    learning_rate=0.1,      # peak of the schedule (SGD, Nesterov momentum 0.9); 0.2 at batch 512 (linear scaling)
    warmup_epochs=1.0,      # linear warm-up from a tenth of the peak, then cosine decay to 0
    momentum=0.9,
    weight_decay=5e-3,      # on conv and dense kernels, not biases or batch-norm offsets. Keras' decay acts outside
                            # the momentum, so this is about the paper's 5e-4 (lesson 06, section 4); over 5e-4 on
                            # validation: class 84.72% vs 84.30%, long 87.28% vs 86.52% (one seed each)
    label_smoothing=0.2,
    shift=2,                # translations of up to 2 pixels, plus left-right flips
    flips="alternating",    # each image mirrored in every other epoch (Jordan 2024); "random": a coin each time
                            # (validation: 84.30% vs 83.96% for random, class recipe; one seed, within noise)
    dropout=0.25,           # in the classifier (fc6, fc7); the paper's 0.5 scored 82.76% on validation vs 84.30%
    whiten=True,            # conv1 = frozen whitening filters of patches of its kernel size
    first_kernel=3,         # conv1's kernel size (and the whitening patches'); class: over 2, val. 84.30% vs 83.64%
    tta="six",              # test-time views (TTA_VIEW_SETS): the image, its mirror, both moved 1 pixel both ways
)
RECIPES = {
    # 12 epochs: the best on validation of 10, 11 and 12 (83.0%, 83.7%, 84.3%; docs/benchmarks.md), about 8 minutes
    # of training when the machine is not shared (epochs of 40 s)
    "class": dict(_COMMON, epochs=12, width=0.5),
    # 2×2 whitening at full width: validation 86.64% against 86.18% for 3×3 (one seed each), 13–21% more images/s;
    # 14 epochs: the most that fit in 30 minutes (final fit 118.5 s per epoch), not an accuracy choice (validation
    # 86.52% against 86.64% for 13: within noise)
    "long": dict(_COMMON, epochs=14, width=1.0, first_kernel=2),
}

#: images held out of the 50,000 training images for validation (the last ones; CIFAR-10's order is random)
VALIDATION = 5000


def split_validation(data, n: int = VALIDATION):
    """``((x, y), test)`` → ``(((x_train, y_train), (x_val, y_val)), test)``: the last ``n`` training images
    become the validation set (the same ones on every call), so choices are made without the test set.

    >>> x, y = np.zeros((10, 4, 4, 3), "uint8"), np.arange(10)
    >>> (train, (x_val, y_val)), test = split_validation(((x, y), (x[:2], y[:2])), n=3)
    >>> len(train[0]), y_val.tolist()
    (7, [7, 8, 9])
    """
    try:
        (x, y), test = data
        x, y = np.asarray(x), np.asarray(y)
    except (TypeError, ValueError):
        raise TypeError(f"data must be ((x_train, y_train), (x_test, y_test)), as helpers.load_cifar10 returns; "
                        f"got {type(data).__name__}") from None
    if x.ndim < 1 or y.ndim < 1 or len(x) != len(y):
        raise ValueError(f"data's training pair must hold as many labels as images, got shapes {x.shape} and {y.shape}")
    n = positive_int("n", n)
    if n >= len(x):
        raise ValueError(f"n must be smaller than the {len(x)} training images, got {n}")
    return ((x[:-n], y[:-n]), (x[-n:], y[-n:])), test


# --------------------------------------------------------------------------- inputs
def whitening_kernel(x, size: int = 3, eps: float = 5e-4, max_images: int = 5000) -> np.ndarray:
    """Conv kernel ``(size, size, C, 2·size²·C)`` that whitens ``size``×``size`` patches of float images ``x``.

    The patch covariance ``Σ = V diag(λ) Vᵀ`` gives filters ``v_i / √(λ_i + eps)`` (largest λ first),
    so the outputs are uncorrelated with unit variance; each filter is repeated with the opposite
    sign so that a ReLU after it keeps both halves. Uses the first ``max_images`` images.

    >>> k = whitening_kernel(np.random.default_rng(0).normal(size=(50, 8, 8, 3)), size=2)
    >>> k.shape
    (2, 2, 3, 24)
    """
    size = positive_int("size", size)
    eps = check_real("eps", eps, low=0)
    max_images = positive_int("max_images", max_images)
    x = check_array("x", x, ndim=4)[:max_images]
    if min(x.shape[1:3]) < size or not len(x):
        raise ValueError(f"x must be images (N, H, W, C) at least {size}×{size} (the patch size), got shape {x.shape}")
    dim = size * size * x.shape[-1]
    check_size("size", f"the patch covariance of size={size} patches of {x.shape[-1]} channels", 8 * dim * dim)
    check_size("x", f"the patches of 250 images of {x.shape[1]}×{x.shape[2]} at size={size}",
               8 * 250 * (x.shape[1] - size + 1) * (x.shape[2] - size + 1) * dim)
    cov, count = np.zeros((dim, dim)), 0
    for i in range(0, len(x), 250):  # 250 images at a time: ~50 MB of patches instead of ~1 GB for 5,000
        chunk = np.asarray(x[i:i + 250], "float64")
        patches = np.lib.stride_tricks.sliding_window_view(chunk, (size, size), axis=(1, 2))  # N,H',W',C,k,k
        patches = patches.transpose(0, 1, 2, 4, 5, 3).reshape(-1, dim)
        cov += patches.T @ patches
        count += len(patches)
    cov /= count
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    order = np.argsort(eigenvalues)[::-1]
    filters = eigenvectors[:, order] / np.sqrt(eigenvalues[order] + eps)
    kernel = filters.reshape(size, size, x.shape[-1], -1)
    return np.concatenate([kernel, -kernel], axis=-1).astype("float32")


def whiten_conv1(model, kernel, trainable: bool = False):
    """Set ``model``'s ``conv1`` to ``kernel`` (from :func:`whitening_kernel`) and freeze it; returns ``model``."""
    check_model("model", model)
    if "conv1" not in [layer.name for layer in model.layers] or getattr(model.get_layer("conv1"), "kernel", None) is None:
        raise ValueError(f"model must have a convolution layer named 'conv1' (as alexnet('cifar') has); "
                         f"{model.name!r} has none")
    kernel = check_array("kernel", kernel, kinds="f")
    trainable = check_bool("trainable", trainable)
    conv1 = model.get_layer("conv1")
    expected = tuple(conv1.kernel.shape)
    if tuple(kernel.shape) != expected:
        raise ValueError(f"conv1's kernel has shape {expected}, the whitening kernel {tuple(kernel.shape)}: "
                         "use whitening_kernel(x, size=conv1's kernel size) on images with the same channels")
    conv1.kernel.assign(kernel)
    conv1.trainable = trainable
    return model


PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")


def precision_policy(precision: str = "auto") -> str:
    """The Keras dtype policy to train with: ``precision`` itself, or for ``"auto"`` what the hardware runs natively.

    ``"auto"``: on an NVIDIA GPU (all GPUs, if several) of compute capability 8.0 or more (A100, L4,
    H100), ``"mixed_bfloat16"``; of compute capability 7.x (V100, T4), ``"mixed_float16"``, the
    precision TensorFlow's mixed-precision guide recommends there (:func:`train_cifar` then scales the
    loss with Keras' ``LossScaleOptimizer``); an older GPU, or one whose compute capability is not
    reported, ``"float32"``. Without a GPU, ``"mixed_bfloat16"`` where the CPU has bf16 instructions
    (AVX512-BF16, AMX), else ``"float32"`` (bf16 would be emulated and slow).

    >>> precision_policy("float32")
    'float32'
    """
    if not isinstance(precision, str):
        raise TypeError(f"precision must be 'auto' or one of {PRECISIONS}; got {precision!r}")
    if precision in PRECISIONS:
        return precision
    if precision != "auto":
        raise ValueError(f"precision must be 'auto' or one of {PRECISIONS}; got {precision!r}")
    capabilities = _gpu_capabilities()
    if capabilities:
        if any(c is None for c in capabilities):
            return "float32"
        lowest = min(capabilities)
        if lowest >= (8, 0):
            return "mixed_bfloat16"
        if lowest >= (7, 0):
            return "mixed_float16"
        return "float32"
    flags = _cpu_flags()
    return "mixed_bfloat16" if ("avx512_bf16" in flags or "amx_bf16" in flags) else "float32"


def _cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:
        return ""


def _gpu_capabilities() -> list:
    """Compute capability ``(major, minor)`` of each GPU TensorFlow sees (``None`` where not reported)."""
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover - other backends
        return []
    found = []
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        except Exception:  # details are optional, by TensorFlow's own documentation
            capability = None
        found.append(tuple(capability) if capability else None)
    return found


# --------------------------------------------------------------------------- training
class CifarRun:
    """What :func:`train_cifar` returns: the :class:`~helpers.train.TrainResult` (``.result``) plus the
    test accuracy without and with test-time augmentation (:func:`predict_tta`), throughput and the settings used.

    ``validation_tta``: when a validation set was held out, its accuracy without TTA (``"plain"``) and with each
    of :data:`TTA_VIEW_SETS` (``"six"``, ``"ten"``), so that the test-time augmentation is chosen on validation."""

    def __init__(self, result: TrainResult, test_accuracy, tta_accuracy, probabilities, settings, eval_seconds,
                 validation_tta=None):
        if not isinstance(result, TrainResult):
            raise TypeError(f"result must be the TrainResult of helpers.train.fit; got {type(result).__name__}")
        check_real("test_accuracy", test_accuracy, low=0, high=1)
        check_real("tta_accuracy", tta_accuracy, low=0, high=1)
        if probabilities is not None:
            check_array("probabilities", probabilities, ndim=2, kinds="f")
        if not isinstance(settings, dict):
            raise TypeError(f"settings must be the dict of recipe settings used; got {settings!r}")
        check_real("eval_seconds", eval_seconds, low=0)
        if validation_tta is not None:
            if not isinstance(validation_tta, dict):
                raise TypeError(f"validation_tta must be a dict of accuracies by view set, or None; got {validation_tta!r}")
            for key, value in validation_tta.items():
                check_real(f"validation_tta[{key!r}]", value, low=0, high=1)
        self.validation_tta = validation_tta
        self.result = result
        self.model = result.model
        self.history = result.history
        self.test_accuracy = test_accuracy
        self.tta_accuracy = tta_accuracy
        self.probabilities = probabilities
        self.settings = settings
        self.eval_seconds = eval_seconds

    @property
    def train_seconds(self) -> float:
        return self.result.total_time

    @property
    def images_per_second(self) -> float:
        return self.result.n_train * len(self.result.epoch_times) / self.result.total_time

    def __repr__(self):
        return (f"CifarRun(test_accuracy={self.test_accuracy:.4f}, tta_accuracy={self.tta_accuracy:.4f}, "
                f"train_seconds={self.train_seconds:.0f}, images_per_second={self.images_per_second:.0f})")


#: test-time views: (weight, flip, dy, dx); the plain image and its mirror count most (as in airbench)
TTA_VIEWS = ((0.25, False, 0, 0), (0.25, True, 0, 0), (0.125, False, 1, 1), (0.125, True, 1, 1),
             (0.125, False, -1, -1), (0.125, True, -1, -1))
#: the paper's ten views (Krizhevsky et al. 2012, Sec. 4.1: the centre and four corner 224×224 patches of a
#: 256×256 image, and their mirrors, averaged equally); here the image and its four moves by 2 pixels
#: diagonally (the corner crops of the image padded by 2, as training's translations), each with its mirror
TEN_VIEWS = tuple((0.1, flip, dy, dx) for flip in (False, True) for dy, dx in ((0, 0), (2, 2), (2, -2), (-2, 2), (-2, -2)))
#: the test-time augmentations a recipe may name (its ``tta`` setting); lesson 06's recipes use "six"
TTA_VIEW_SETS = {"six": TTA_VIEWS, "ten": TEN_VIEWS}


def predict_tta(model, x, preprocess, batch_size: int = 1000, views=TTA_VIEWS) -> np.ndarray:
    """Weighted mean of the class probabilities over test-time views of each uint8 image: the image and its
    mirror, each also moved one pixel down-right and up-left (:data:`TTA_VIEWS`), the border
    filled by reflection (:func:`helpers.preprocessing.shift`).

    ``views``: ``(weight > 0, flip, dy, dx)`` per view, each shift smaller than the images."""
    check_predictor("model", model)
    x = check_array("x", x, ndim=4)
    check_callable("preprocess", preprocess, "a function of a uint8 batch, e.g. normalizer(mean, std)")
    positive_int("batch_size", batch_size)
    _check_views(views, x.shape[1:3])
    total = sum(w for w, *_ in views)
    out = 0.0
    for weight, flip, dy, dx in views:
        view = shift(x[:, :, ::-1] if flip else x, dy, dx, fill="reflect")
        out = out + weight / total * predict(model, view, preprocess, batch_size)
    return out


def _check_views(views, image_size) -> None:
    if isinstance(views, (str, bytes)) or not isinstance(views, (list, tuple)) or not views:
        raise TypeError(f"views must be a non-empty list of (weight, flip, dy, dx); got {views!r}")
    for i, view in enumerate(views):
        ok = isinstance(view, (list, tuple)) and len(view) == 4
        if ok:
            weight, flip, dy, dx = view
            ok = (is_number(weight) and weight > 0 and isinstance(flip, (bool, np.bool_)) and is_int(dy)
                  and is_int(dx) and max(abs(dy), abs(dx)) < min(image_size))
        if not ok:
            raise ValueError(f"views[{i}] must be (weight > 0, flip True/False, dy, dx) with shifts smaller than "
                             f"the {image_size[0]}×{image_size[1]} images; got {view!r}")


def make_optimizer(learning_rate, momentum: float = 0.9, weight_decay: float = 5e-4):
    """SGD with Nesterov momentum; weight decay on kernels only (not biases, not batch-norm offsets)."""
    opt = keras.optimizers.SGD(learning_rate, momentum=momentum, nesterov=True, weight_decay=weight_decay or None)
    if weight_decay:
        opt.exclude_from_weight_decay(var_names=["bias", "beta", "gamma"])
    return opt


def _check_train_cifar(data, build, epochs, quick, strategy, precision, seed, verbose, quick_epochs, settings) -> None:
    """:func:`train_cifar`'s arguments, checked before any work (each error names its argument)."""
    from .train import _split

    x, _, x_test, _ = _split(data)
    if x_test is None:
        raise ValueError("data must be ((x_train, y_train), (x_test, y_test)), as helpers.load_cifar10 returns; "
                         "got one pair")
    if x.ndim != 4 or x_test.shape[1:] != x.shape[1:]:
        raise ValueError(f"data must hold images (N, H, W, C) of one shape; got {x.shape} and {x_test.shape}")
    check_callable("build", build, "a function build(dropout=..., dtype=...) returning a model", optional=True)
    if epochs is not None:
        positive_int("epochs", epochs)
    if quick is not None:
        check_bool("quick", quick)
    if strategy is not None and not callable(getattr(strategy, "scope", None)):
        raise TypeError(f"strategy must be a tf.distribute strategy or None; got {type(strategy).__name__}")
    if not isinstance(precision, str) or precision not in ("auto", *PRECISIONS):
        raise ValueError(f"precision must be 'auto' or one of {PRECISIONS}; got {precision!r}")
    check_seed("seed", seed)
    if not (verbose is None or verbose is False or (is_int(verbose) and verbose == 0)
            or (isinstance(verbose, str) and verbose in ("bar", "epoch"))):
        raise ValueError(f"verbose must be one of 'bar', 'epoch', None; got {verbose!r}")
    positive_int("quick_epochs", quick_epochs)
    for key, value in settings.items():
        if key in ("epochs", "batch_size"):
            positive_int(key, value)
        elif key == "shift":
            if not is_int(value) or value < 0:
                raise ValueError(f"shift must be an integer >= 0 (pixels); got {value!r}")
        elif key == "flips":
            if not isinstance(value, str) or value not in ("alternating", "random"):
                raise ValueError(f"flips must be 'alternating' or 'random'; got {value!r}")
        elif key == "whiten":
            check_bool(key, value)
        elif key == "tta":
            if not isinstance(value, str) or value not in TTA_VIEW_SETS:
                raise ValueError(f"tta must be one of {sorted(TTA_VIEW_SETS)}; got {value!r}")
        elif key == "width":
            check_real(key, value, low=1 / 64, high=64)
        elif key == "first_kernel":
            positive_int(key, value)
        elif key in ("learning_rate",):
            check_real(key, value, low=0, low_open=True)
        elif key in ("warmup_epochs", "weight_decay"):
            check_real(key, value, low=0)
        else:  # momentum, label_smoothing, dropout: fractions below 1
            if check_real(key, value, low=0) >= 1:
                raise ValueError(f"{key} must be in [0, 1); got {value!r}")


def train_cifar(data, *, recipe: str = "class", build=None, epochs: int | None = None, validation: int = VALIDATION,
                quick: bool | None = None, strategy=None, precision: str = "auto", seed: int = DEFAULT_SEED,
                verbose="bar", quick_epochs: int = 2, **settings) -> CifarRun:
    """Train a CIFAR-10 model with one of lesson 06's :data:`RECIPES` (any key of it can be overridden).

    Args:
        data: ``((x_train, y_train), (x_test, y_test))`` uint8, as :func:`helpers.load_cifar10` returns.
        recipe: ``"class"`` (the lesson's default: half-width AlexNet, 12 epochs) or ``"long"`` (full width,
            2×2 whitening, 14 epochs); ``**settings`` override single entries, e.g. ``dropout=0.5``.
        build: ``build(dropout=..., dtype=...)`` returning an uncompiled model with a ``conv1`` layer;
            default ``alexnet("cifar", width=..., first_kernel=...)`` from the recipe. conv1 is set to the
            whitening filters of patches of its own kernel size. Another net (e.g. LeNet-5 on 3 channels)
            works with ``whiten=False``; then ``build`` gets ``dtype`` only.
        epochs: the knob that scales a run down (or up) honestly: the warm-up and cosine schedule are laid
            over exactly this many epochs. Default: the recipe's. Quick mode (:func:`helpers.quick_mode`)
            trains on the first 2,000 images for at most ``quick_epochs`` epochs.
        validation: the last ``validation`` training images are held out (:func:`split_validation`); the
            per-epoch curves (``history["val_accuracy"]``) are measured on them. 0: no validation set, the
            final fit once every choice is made (the recipe trained on all training images).
            The test set is evaluated once, after training, with and without test-time augmentation.
        strategy: a ``tf.distribute`` strategy (e.g. ``MirroredStrategy``): the model is built, whitened
            and compiled in its scope, and each batch is split over its replicas.
        precision: ``"auto"`` (:func:`precision_policy`), ``"float32"``, ``"mixed_bfloat16"`` or
            ``"mixed_float16"``; with float16 the optimizer is wrapped in ``keras.optimizers.LossScaleOptimizer``
            (dynamic loss scaling). The layers carry the policy, the model does not, so Keras' own
            wrapping in ``compile`` (which looks at the model's policy) would not happen.

    Returns a :class:`CifarRun`.
    """
    if not isinstance(recipe, str) or recipe not in RECIPES:
        raise ValueError(f"recipe must be one of {sorted(RECIPES)}; got {recipe!r}")
    unknown = set(settings) - set(RECIPES[recipe])
    if unknown:
        raise ValueError(f"unknown recipe settings {sorted(unknown)}; valid: {sorted(RECIPES[recipe])}")
    _check_train_cifar(data, build, epochs, quick, strategy, precision, seed, verbose, quick_epochs, settings)
    settings = {**RECIPES[recipe], **settings}
    if epochs is not None:
        settings["epochs"] = positive_int("epochs", epochs)
    settings["recipe"] = recipe
    validation = 0 if validation == 0 else positive_int("validation", validation)
    quick = quick_mode() if quick is None else bool(quick)
    if validation:
        ((x, y), (x_val, y_val)), (x_test, y_test) = split_validation(data, validation)
    else:
        (x, y), (x_test, y_test) = data
        x_val = y_val = None
    if quick:
        n_train, n_eval = QUICK_SUBSET
        x, y, x_test, y_test = x[:n_train], y[:n_train], x_test[:n_eval], y_test[:n_eval]
        if validation:
            x_val, y_val = x_val[:n_eval], y_val[:n_eval]
        settings["epochs"] = min(settings["epochs"], quick_epochs)
    settings["validation"] = 0 if x_val is None else len(x_val)
    policy = precision_policy(precision)
    settings["precision"] = policy
    epochs = settings["epochs"]
    batch_size = settings["batch_size"]

    preprocess = normalizer(*channel_stats(x))
    steps = math.ceil(len(x) / batch_size)
    total = epochs * steps
    warmup = min(int(round(settings["warmup_epochs"] * steps)), total - 1)

    def build_model():
        if build is None:
            model = alexnet("cifar", dropout=settings["dropout"], dtype=policy, width=settings["width"],
                            first_kernel=settings["first_kernel"])
        elif settings["whiten"]:
            model = build(dropout=settings["dropout"], dtype=policy)
        else:
            model = build(dtype=policy)
        if not settings["whiten"]:
            return model
        size = model.get_layer("conv1").kernel_size[0]          # 3 for "cifar"; 2 with first_kernel=2
        return whiten_conv1(model, whitening_kernel(preprocess(x[:5000]), size=size))

    schedule = cosine_schedule(settings["learning_rate"], total, warmup)
    def optimizer():  # created inside the strategy's scope, if there is one
        opt = make_optimizer(schedule, settings["momentum"], settings["weight_decay"])
        # float16 gradients underflow without loss scaling (bfloat16 has float32's range and needs none)
        return keras.optimizers.LossScaleOptimizer(opt) if policy == "mixed_float16" else opt

    keras.utils.set_random_seed(seed)
    train = (x, y) if x_val is None else ((x, y), (x_val, y_val))
    result = fit(build_model if strategy is not None else build_model(), train,
                 epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=seed, quick=False,
                 strategy=strategy, preprocess=preprocess, verbose=verbose,
                 augment=FlipTranslate(settings["shift"], settings["flips"], seed),
                 label_smoothing=settings["label_smoothing"])
    result.quick = quick
    # the test set, once: without and with test-time augmentation
    t0 = time.perf_counter()
    labels = np.asarray(y_test).reshape(-1)
    plain = predict(result.model, x_test, preprocess, 1000)
    tta = predict_tta(result.model, x_test, preprocess, 1000, views=TTA_VIEW_SETS[settings["tta"]])
    eval_seconds = time.perf_counter() - t0
    validation_tta = None
    if x_val is not None:  # every test-time augmentation on validation, where the recipe's choice is made
        val_labels = np.asarray(y_val).reshape(-1)
        validation_tta = {"plain": float(np.mean(predict(result.model, x_val, preprocess, 1000).argmax(1) == val_labels))}
        for name, views in TTA_VIEW_SETS.items():
            validation_tta[name] = float(np.mean(
                predict_tta(result.model, x_val, preprocess, 1000, views=views).argmax(1) == val_labels))
    return CifarRun(result, float(np.mean(plain.argmax(1) == labels)), float(np.mean(tta.argmax(1) == labels)),
                    tta, settings, eval_seconds, validation_tta)


__all__ = ["CifarRun", "RECIPES", "VALIDATION", "split_validation", "TTA_VIEWS", "TEN_VIEWS", "TTA_VIEW_SETS", "make_optimizer", "precision_policy", "PRECISIONS",
           "predict_tta", "train_cifar", "whiten_conv1", "whitening_kernel"]
