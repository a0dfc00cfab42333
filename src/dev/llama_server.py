"""Starts llama.cpp's own HTTP server (the xllamacpp wheel) on loopback for the compat tests.

Prints one JSON line {"address": ...} once the model is loaded and the server listens, then
serves until stdin closes or a signal arrives, so the server never outlives the process that
started it. Arguments: --model PATH [--alias NAME] [--ctx N] [--parallel N] [--threads N] [--embedding].
With --embedding the server answers /v1/embeddings (mean pooling) and no chat: llama.cpp
serves one or the other.
"""
import argparse
import json
import os
import signal
import sys

import xllamacpp


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--alias", default="smollm2-135m")
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--threads", type=int, default=-1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--embedding", action="store_true")
    args = parser.parse_args()

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    # The context is split between the slots: each needs room for a prompt and its answer.
    params.n_ctx = args.ctx
    params.n_parallel = args.parallel
    params.ui = False
    if args.embedding:
        params.embedding = True
        params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
        # An input is embedded in one micro-batch: the default 512 tokens would refuse a
        # listing's text with a 500, so the micro-batch is the whole context.
        params.n_batch = args.ctx
        params.n_ubatch = args.ctx
    if args.threads > 0:
        params.cpuparams.n_threads = args.threads
        params.cpuparams_batch.n_threads = args.threads
    server = xllamacpp.Server(params)
    print(json.dumps({"address": server.listening_address}), flush=True)

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    sys.stdin.read()  # returns when the parent closes our stdin (or dies)
    os._exit(0)


if __name__ == "__main__":
    main()
