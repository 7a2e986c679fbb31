"""Builds the extension nines._nines with the project's own CMake build (pyproject.toml holds the
metadata). Only the `_nines` target is built, with tests, benchmarks and the CLI's extras left out.

Environment:
  NINES_BUILD_DIR    an already configured build folder (such as build/release) to build the target in,
                     instead of configuring a new one under setuptools' build_temp
  NINES_CMAKE_ARGS   extra arguments for the CMake configure step (split on spaces)
  CMAKE_BUILD_PARALLEL_LEVEL   parallel jobs (default 2)
"""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def project_version():
    """The version from CMakeLists.txt's project(), so the package and the CLI cannot disagree."""
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(nines VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("NINES_BUILD_DIR")
        if build_dir:
            self.build_in(os.path.abspath(build_dir), ext)
            return
        build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
        os.makedirs(build_dir, exist_ok=True)
        configure = ["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                     "-DNINES_BUILD_TESTS=OFF", "-DNINES_BUILD_BENCH=OFF", "-DNINES_BUILD_FUZZ=OFF",
                     "-DNINES_BUILD_PYTHON=ON",
                     # The interpreter that runs pip (a venv's python works: it shares the base's headers).
                     "-DPython_EXECUTABLE=" + sys.executable]
        configure += os.environ.get("NINES_CMAKE_ARGS", "").split()
        subprocess.run(configure, check=True)
        self.build_in(build_dir, ext)

    def build_in(self, build_dir, ext):
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", build_dir, "--target", "_nines", "-j", jobs], check=True)
        built = os.path.join(build_dir, "python", "nines")
        names = [n for n in os.listdir(built) if n.startswith("_nines") and n.endswith(".so")]
        if len(names) != 1:
            raise RuntimeError("CMake built no single _nines*.so in " + built + ": " + ", ".join(names))
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(built, names[0]), target)


setup(version=project_version(),
      ext_modules=[Extension("nines._nines", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
