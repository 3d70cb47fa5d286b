//! Links the addon the way Node loads it (napi-build sets the platform flags).

fn main() {
    napi_build::setup();
}
