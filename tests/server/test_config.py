"""Settings from the environment: the asset cache's bounds (replay fidelity)."""
from __future__ import annotations

import pytest

from server.config import MIB, Settings, SettingsError


def test_asset_bounds_have_defaults_and_read_sizes(tmp_path):
    defaults = Settings(data_dir=tmp_path)
    assert (defaults.asset_max_stylesheet_bytes, defaults.asset_max_font_bytes, defaults.asset_max_image_bytes,
            defaults.asset_project_quota_bytes, defaults.assets_per_session) == (2 * MIB, 4 * MIB, 5 * MIB, 1024 * MIB, 500)
    read = Settings.from_env({"REPLAYDESK_DATA_DIR": str(tmp_path), "REPLAYDESK_ASSET_MAX_IMAGE": "512KiB",
                              "REPLAYDESK_ASSET_MAX_FONT": "3 MiB", "REPLAYDESK_ASSET_MAX_STYLESHEET": "100000",
                              "REPLAYDESK_ASSET_QUOTA": "2G", "REPLAYDESK_ASSETS_PER_SESSION": "50"})
    assert (read.asset_max_image_bytes, read.asset_max_font_bytes, read.asset_max_stylesheet_bytes,
            read.asset_project_quota_bytes, read.assets_per_session) == (512 * 1024, 3 * MIB, 100_000, 2 * 1024 * MIB, 50)


@pytest.mark.parametrize("var, value", [("REPLAYDESK_ASSET_MAX_IMAGE", "5 parsecs"), ("REPLAYDESK_ASSET_QUOTA", "0"),
                                        ("REPLAYDESK_ASSET_QUOTA", "-1MiB"), ("REPLAYDESK_ASSETS_PER_SESSION", "many")])
def test_a_bad_size_names_its_variable(tmp_path, var, value):
    with pytest.raises(SettingsError, match=var):
        Settings.from_env({"REPLAYDESK_DATA_DIR": str(tmp_path), var: value})
