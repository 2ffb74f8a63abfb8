"""A GAN train step under MirroredStrategy on two logical CPUs equals the single-device step."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras, numpy as np
    from workshop_utils import distributions, models, pipelines, training

    ring = distributions.ring_of_gaussians()

    def run(strategy):
        training.set_seed(0)
        with strategy.scope():
            g = models.mlp_generator(4, (2,), hidden=(16,), output_activation=None)
            d = models.mlp_discriminator((2,), hidden=(16,))
            t = training.GANTrainer(g, d, latent_dim=4, g_optimizer=keras.optimizers.Adam(1e-2),
                                    d_optimizer=keras.optimizers.Adam(1e-2), d_steps=2, ema_decay=0.9,
                                    strategy=strategy)
        t.train(lambda s: pipelines.toy_batches(ring, 64, 0, s), 3, log_every=1, progress=False)
        return g.get_weights() + d.get_weights() + t.ema_generator.get_weights(), t.history.rows[-1]

    single, h1 = run(tf.distribute.get_strategy())
    mirrored_strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    assert mirrored_strategy.num_replicas_in_sync == 2
    mirrored, h2 = run(mirrored_strategy)
    worst = max(float(np.abs(a - b).max()) for a, b in zip(single, mirrored))
    moved = max(float(np.abs(a - b).max()) for a, b in zip(single, run(tf.distribute.get_strategy())[0]))
    assert worst < 1e-5, worst
    for k in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert abs(h1[k] - h2[k]) < 1e-5, (k, h1[k], h2[k])
    print("OK", worst)
    """
)


def test_mirrored_step_matches_single_device():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("OK")
