"""A client of the sampler service (`iqp serve`, docs/service.md): submit a model and a shot
count, wait for the job, get the shots as a numpy array. Standard library only."""
import base64
import json
import time
import urllib.error
import urllib.request

import numpy as np

from .errors import IQPError


class SamplerClient:
    """`SamplerClient("http://host:port").sample(circuit, params, shots, key=seed)`: the shots
    (uint8 (shots, n)) the service's simulator draws, equal to `IqpSimulator.sample(…, key=seed)`
    and `iqp sample --seed`."""

    def __init__(self, url, token=None, poll_seconds=0.05, timeout=60.0):
        self.url = url.rstrip("/")
        self.token = token
        self.poll_seconds = poll_seconds
        self.timeout = timeout

    def _call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            try:
                message = json.load(error).get("error", {})
                message = message.get("message", message) if isinstance(message, dict) else message
            except ValueError:
                message = error.reason
            raise IQPError(f"{self.url}{path}: {error.code}: {message}") from None

    def sample(self, circuit, params, shots, key=0, init_coefs=None):
        from .keys import seed
        job = self._call("/v1/jobs", {"model": circuit.to_model(params, init_coefs), "shots": int(shots),
                                      "seed": seed(key)})
        while True:
            status = self._call(f"/v1/jobs/{job['id']}")
            if status["status"] not in ("queued", "running"):
                break
            time.sleep(self.poll_seconds)
        if status["status"] != "completed":
            raise IQPError(f"sampler job {job['id']} {status['status']}: {status.get('error')}")
        result = self._call(f"/v1/jobs/{job['id']}/result")
        n, count = result["num_bits"], result["num_shots"]
        packed = np.frombuffer(base64.b64decode(result["shots"]), dtype=np.uint8).reshape(count, -1)
        return np.unpackbits(packed, axis=1, bitorder="little")[:, :n]
