"""Runs an ONNX model in ONNX Runtime on raw float32 planes; writes its outputs as raw float32.

usage: run_onnx.py MODEL INPUT BATCH OUTPUT_PREFIX   (writes PREFIX.policy and PREFIX.value)

The planes are NCHW [BATCH, 6, 19, 19]; a model whose input is NHWC gets them transposed.
"""
import sys

import numpy as np
import onnxruntime as ort

model, input_path, batch, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
planes = np.fromfile(input_path, dtype=np.float32).reshape(batch, 6, 19, 19)
runtime = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
first = runtime.get_inputs()[0]
if first.shape[-1] == 6:
    planes = np.ascontiguousarray(planes.transpose(0, 2, 3, 1))
policy, value = runtime.run(["policy", "value"], {first.name: planes})
assert policy.shape == (batch, 362), policy.shape
assert value.shape == (batch, 1), value.shape
policy.astype(np.float32).tofile(prefix + ".policy")
value.astype(np.float32).tofile(prefix + ".value")
