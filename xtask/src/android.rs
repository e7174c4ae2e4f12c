//! `cargo xtask android-aar`: the Android library as an AAR.
//!
//! Builds the FFI library for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk (mobile profile;
//! 16 KB page alignment on the 64-bit ABIs, which Android 15+ devices need), generates the Kotlin
//! bindings, compiles the Kotlin library with Maven (with its Android-only sources, the Keystore
//! `KeyProtector`), and zips the AAR: AndroidManifest.xml,
//! classes.jar, jni/<abi>/libtessera_ffi.so and the consumer R8 rules. Apps add JNA as
//! `net.java.dev.jna:jna:<version>@aar`. Needs the Android NDK and cargo-ndk (docs/building.md).

use std::path::Path;
use std::process::Command;

use crate::bindings;
use crate::run::run_checked;

const ABIS: [&str; 3] = ["arm64-v8a", "armeabi-v7a", "x86_64"];
const PAGE_SIZE_FLAGS: &str = "-C link-arg=-Wl,-z,max-page-size=16384";
const PROJECT: &str = "android/tessera";
const MANIFEST: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.tessera.kit">
    <uses-sdk android:minSdkVersion="24" />
</manifest>
"#;

pub fn aar(root: &Path) -> Result<(), String> {
    let has_ndk = Command::new("cargo")
        .args(["ndk", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_ndk || std::env::var_os("ANDROID_NDK_HOME").is_none() {
        return Err("android-aar needs the Android NDK (ANDROID_NDK_HOME) and cargo-ndk; see docs/building.md".into());
    }
    let project = root.join(PROJECT);
    let staging = project.join("target").join("aar");
    let _ = std::fs::remove_dir_all(&staging);
    let jni = staging.join("jni");
    let mut build = Command::new("cargo");
    build.arg("ndk");
    for abi in ABIS {
        build.args(["-t", abi]);
    }
    build
        .arg("-o")
        .arg(&jni)
        .args(["build", "--profile", "mobile", "-p", "tessera-ffi"])
        .env(
            "CARGO_TARGET_AARCH64_LINUX_ANDROID_RUSTFLAGS",
            PAGE_SIZE_FLAGS,
        )
        .env(
            "CARGO_TARGET_X86_64_LINUX_ANDROID_RUSTFLAGS",
            PAGE_SIZE_FLAGS,
        )
        .current_dir(root);
    run_checked(&mut build)?;
    bindings::generate(root)?;
    run_checked(
        Command::new("mvn")
            .args(["-B", "-q", "-DskipTests", "-P", "android-sources", "-f"])
            .arg(project.join("pom.xml"))
            .arg("package")
            .current_dir(root),
    )?;
    let jar = std::fs::read_dir(project.join("target"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "jar"))
        .ok_or("mvn package made no jar")?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(staging.join(name), bytes).map_err(|e| e.to_string())
    };
    std::fs::copy(&jar, staging.join("classes.jar")).map_err(|e| e.to_string())?;
    write("AndroidManifest.xml", MANIFEST.as_bytes())?;
    write("R.txt", b"")?;
    std::fs::copy(
        project.join("consumer-rules.pro"),
        staging.join("proguard.txt"),
    )
    .map_err(|e| e.to_string())?;
    let out = project.join("target").join("tessera.aar");
    run_checked(
        Command::new("jar")
            .arg("cfM")
            .arg(&out)
            .arg("-C")
            .arg(&staging)
            .arg(".")
            .current_dir(root),
    )?;
    println!("{} is ready", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ABIS;
    use std::path::Path;

    /// The app ships only the ABIs built here: JNA has more, and a device of another ABI would
    /// install the app and fail at the first call.
    #[test]
    fn abi_filters_match_the_built_abis() {
        let build = Path::new(env!("CARGO_MANIFEST_DIR")).join("../android/app/build.gradle.kts");
        let text = std::fs::read_to_string(&build).unwrap();
        let line = text
            .lines()
            .find(|line| line.contains("abiFilters"))
            .expect("build.gradle.kts sets abiFilters");
        let filters: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        assert_eq!(filters, ABIS);
    }
}
