"""workshop_utils: the helper package of the GAN workshop course.

Modules, in the order the course meets them:

- :mod:`~workshop_utils.config`   smoke/offline switches and where the shipped data lives
- :mod:`~workshop_utils.errors`   the one exception for user errors (one line in the CLI, exit code 2)
- :mod:`~workshop_utils.distributions` the toy targets (1-D Gaussians, the ring and grid), NumPy only
- :mod:`~workshop_utils.conditions` what a conditional GAN's c is: one-hot labels and InfoGAN codes, NumPy only
- :mod:`~workshop_utils.pipelines` resumable ``tf.data`` batches (with or without labels) and the noise stream
- :mod:`~workshop_utils.data`     loaders with offline fallbacks: MNIST, image folders, faces, photos; each recipe's batches
- :mod:`~workshop_utils.faces`    procedural cartoon faces with attribute labels (the offline face set)
- :mod:`~workshop_utils.colour`   sRGB ↔ CIE Lab, the colorizer's encoding, colorizing photos of any size
- :mod:`~workshop_utils.models`   Keras generator/discriminator builders
- :mod:`~workshop_utils.losses`   every GAN loss the course teaches (on logits)
- :mod:`~workshop_utils.theory`   closed-form results: D*, V(D*, G), JS, the Earth Mover's LP
- :mod:`~workshop_utils.training` Algorithm 1 as tf.function steps, the resumable trainers (GAN and pix2pix)
- :mod:`~workshop_utils.metrics`  toy distances, Fréchet distance, classifier score, coverage
- :mod:`~workshop_utils.plotting` grids, curves, 1-D/2-D plots, GIFs
- :mod:`~workshop_utils.latent`   interpolation, concept vectors, truncation, path length
- :mod:`~workshop_utils.widgets`  the sliders (ipywidgets + matplotlib, testable without a browser)
- :mod:`~workshop_utils.kinds`    what a generator makes (points, images, conditioned images, pairs): sample, plot, measure
- :mod:`~workshop_utils.recipes`  named recipes: settings and the parts they are built from (no TensorFlow)
- :mod:`~workshop_utils.runs`     a recipe built, trained, sampled, measured, saved and loaded; the pretrained runs
- :mod:`~workshop_utils.runtime`  accelerator report and seeding for a notebook's first cell
"""

__version__ = "0.1.0"
