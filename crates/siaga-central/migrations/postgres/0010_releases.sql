-- Desk releases (decision 0021): what an admin added with `siaga-central add-release`, served to desks as
-- they were signed by the release key (the central cannot sign; desks check the signature). One row per platform
-- and version; the package is kept whole.
CREATE TABLE desk_release (
    platform TEXT NOT NULL,
    version TEXT NOT NULL,
    manifest TEXT NOT NULL,
    signature TEXT NOT NULL,
    key_id TEXT NOT NULL,
    package_name TEXT NOT NULL,
    package_sha256 TEXT NOT NULL,
    package BYTEA NOT NULL,
    added_ms BIGINT NOT NULL,
    PRIMARY KEY (platform, version)
);
