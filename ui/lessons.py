"""The lesson registry: the single list that drives the menu, the course map and the tests.

Adding a lesson is one `Lesson` entry here plus one page file in ``pages/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from processing.samples import DEFAULT_SAMPLE

SECTIONS = (
    "Foundations", "Intensity", "Filtering", "Frequency and restoration", "Binary images", "Analysis", "Features",
    "Capstone",
)


@dataclass(frozen=True)
class Lesson:
    """One lesson page.

    Attributes
    ----------
    slug : str
        URL path of the page (``/arrays``); also the prefix of its widget keys.
    title : str
        Title shown in the menu, the course map and the page header.
    section : str
        One of `SECTIONS`.
    icon : str
        A Material icon, e.g. ``":material/grid_on:"``.
    summary : str
        One line for the course map.
    page : str
        Page file, relative to the app root.
    exercises : tuple of str
        Ids of the page's exercises, so Home can count progress.
    default_sample : str
        The sample the lesson opens on unless the learner or the link chose another: one that shows
        the lesson's idea at its default settings.
    """

    slug: str
    title: str
    section: str
    icon: str
    summary: str
    page: str
    exercises: tuple[str, ...] = ()
    default_sample: str = DEFAULT_SAMPLE


LESSONS: tuple[Lesson, ...] = (
    Lesson("arrays", "Images as arrays", "Foundations", ":material/grid_on:",
           "Pixels are numbers in a NumPy array: shape, dtype, slicing, uint8 pitfalls, saving.",
           "pages/01_arrays.py", ("arrays_shape", "arrays_pixel", "arrays_wrap", "arrays_quantise")),
    Lesson("colour", "Colour models", "Foundations", ":material/palette:",
           "RGB channels, BGR, greyscale weights, HSV hue ranges, LAB and YCrCb.",
           "pages/02_colour.py", ("colour_gray", "colour_hue", "colour_bgr")),
    Lesson("geometry", "Geometric transforms", "Foundations", ":material/transform:",
           "Resize and interpolation, rotate, affine and perspective warps.",
           "pages/03_geometry.py", ("geometry_landing", "geometry_canvas", "geometry_interp"),
           default_sample="brick"),  # thin mortar lines alias at the default 1/4 shrink; the 8-px checkerboard does not
    Lesson("histograms", "Histograms and point operations", "Intensity", ":material/bar_chart:",
           "Brightness, contrast, gamma, stretching, equalisation and CLAHE.",
           "pages/04_histograms.py", ("histograms_clip", "histograms_equalise", "histograms_gamma")),
    Lesson("convolution", "Convolution playground", "Filtering", ":material/grid_4x4:",
           "Kernels, borders, signed results and the arithmetic of one output pixel.",
           "pages/05_convolution.py", ("convolution_pixel", "convolution_which", "convolution_corner")),
    Lesson("smoothing", "Smoothing and sharpening", "Filtering", ":material/blur_on:",
           "Noise, denoising filters compared by PSNR and SSIM, unsharp masking.",
           "pages/06_smoothing.py", ("smoothing_salt", "smoothing_best", "smoothing_unsharp")),
    Lesson("edges", "Edge detection", "Filtering", ":material/line_style:",
           "Gradients, Laplacian of Gaussian, and Canny stage by stage.",
           "pages/07_edges.py", ("edges_gx", "edges_direction", "edges_high")),
    # Cameraman: sharp edges that ring under an ideal low-pass, straight tripod legs drawn as lines across the
    # spectrum, and a border jump (bright sky above, dark coat below) that draws the cross.
    Lesson("fourier", "The frequency domain (Fourier)", "Frequency and restoration", ":material/waves:",
           "The 2-D DFT, what one point of the spectrum means, low- and high-pass masks, notches, phase.",
           "pages/13_fourier.py", ("fourier_period", "fourier_stripes", "fourier_sigma", "fourier_notch"),
           default_sample="camera"),
    # Cameraman again: a flat sky to estimate noise from, and fine sharp detail (tripod, camera) that a blur
    # visibly removes and a restoration visibly brings back.
    Lesson("restoration", "Blur and restoration", "Frequency and restoration", ":material/deblur:",
           "Noise models, order-statistic filters, blur as a PSF, inverse, Wiener and Richardson-Lucy.",
           "pages/14_restoration.py", ("restoration_zero", "restoration_order", "restoration_iterations"),
           default_sample="camera"),
    Lesson("compression", "JPEG from the inside", "Frequency and restoration", ":material/compress:",
           "YCbCr and chroma subsampling, the 8×8 DCT, quantisation by quality, size against error, entropy.",
           "pages/15_compression.py", ("compression_step", "compression_zeros", "compression_png"),
           default_sample="astronaut"),
    Lesson("thresholding", "Thresholding", "Binary images", ":material/contrast:",
           "Manual, Otsu, automatic and adaptive thresholds.",
           "pages/08_thresholding.py", ("thresholding_otsu", "thresholding_match", "thresholding_adaptive"),
           default_sample="coins"),
    Lesson("morphology", "Morphology", "Binary images", ":material/join_inner:",
           "Erode, dilate, open, close and friends, with structuring elements.",
           "pages/09_morphology.py", ("morphology_which", "morphology_width", "morphology_fit"),
           default_sample="coins"),
    Lesson("masks", "Masks", "Binary images", ":material/layers:",
           "Masks from shapes, colours and thresholds; combine, apply and blend.",
           "pages/10_masks.py", ("masks_union", "masks_code", "masks_fit")),
    Lesson("segmentation", "Segmentation", "Analysis", ":material/bubble_chart:",
           "Connected components, k-means colours, watershed and superpixels.",
           "pages/11_segmentation.py", ("segmentation_connectivity", "segmentation_coins", "segmentation_kmeans"),
           default_sample="coins"),
    Lesson("measuring", "Measuring objects", "Analysis", ":material/straighten:",
           "A results table of objects: area, perimeter, shape, calibration, profiles.",
           "pages/12_measuring.py", ("measuring_count", "measuring_calibrate", "measuring_elongated"),
           default_sample="coins"),
    Lesson("features", "Finding features", "Features", ":material/center_focus_strong:",
           "Hough lines and circles, Harris and Shi-Tomasi corners, template matching, and where they fail.",
           "pages/16_features.py", ("features_rho", "features_coins", "features_scale", "features_bright"),
           default_sample="camera"),
    # Coins: the default pipeline counts objects, and the first challenge counts these very coins.
    Lesson("pipeline", "Pipeline lab", "Capstone", ":material/account_tree:",
           "Chain what the lessons taught, see every step, solve four real tasks, take the pipeline home as code.",
           "pages/17_pipeline.py", ("pipeline_coins", "pipeline_cell", "pipeline_page", "pipeline_noise"),
           default_sample="coins"),
)

LESSONS_BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}
