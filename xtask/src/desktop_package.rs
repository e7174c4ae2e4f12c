//! `cargo xtask desktop-package`: Tessera Desktop as an installable package made by jpackage,
//! with its own Java runtime (jlink'd to the modules the app uses) and the native library inside
//! the app image.
//!
//! On Linux the result is `target/desktop/tessera-desktop_<version>_amd64.deb`: the app under
//! `/opt/tessera-desktop`, `tessera-desktop` on PATH, a menu entry and the handler of
//! `igmobileotp://` and `otpauth://` links. The same command makes the `.msi` on Windows (WiX)
//! and the `.dmg` on macOS, each with the resource overrides in `desktop/packaging/<platform>`
//! that register the link schemes (docs/building.md).
//!
//! A package newer than every input is reused ([`is_fresh`]), so the installed-package test does
//! not rebuild it when nothing changed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::bindings::{KOTLIN_OUT, target_dir};
use crate::kotlin::{REACTOR_POM, require_jvm_tools, require_tool};
use crate::run::run_checked;

/// The package's name: the launcher, the install folder and the Debian package.
pub const PACKAGE: &str = "tessera-desktop";
/// The version, the workspace's (jpackage takes digits and dots only).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The desktop app's Maven project and the class whose `main` opens the window.
const DESKTOP_POM: &str = "desktop/pom.xml";
const MAIN_CLASS: &str = "org.tessera.desktop.MainKt";
/// Where the packages go, relative to the workspace root (under the git-ignored target).
pub const OUT: &str = "target/desktop";
/// Hand-written resource overrides for jpackage, one folder per platform.
const RESOURCES: &str = "desktop/packaging";
/// The app icon comes from the same drawing as the phone apps' (scripts/make-app-icon.py).
const ICON_SCRIPT: &str = "scripts/make-app-icon.py";
/// The Windows and macOS icons are made from that drawing by this script.
const ICONS_SCRIPT: &str = "desktop/packaging/make-icons.py";
const ICON_SIZE: &str = "256";
/// The Java modules the app needs (Compose draws through AWT; JNA and skiko use
/// sun.misc.Unsafe; the single-instance socket is java.base; dbus-java authenticates with the
/// user's id from jdk.security.auth, reads peers through jdk.net and introspects with java.xml).
/// jlink keeps only these.
const MODULES: &str = "java.base,java.desktop,java.logging,java.naming,java.management,java.xml,jdk.unsupported,jdk.accessibility,jdk.net,jdk.security.auth";
/// What the package's inputs are: a package newer than all of them is reused.
const INPUTS: [&str; 12] = [
    "Cargo.lock",
    "core",
    "bindings",
    "desktop-key",
    "android/pom.xml",
    "android/tessera/pom.xml",
    "android/tessera/src",
    "android/ui/pom.xml",
    "android/ui/src",
    "desktop",
    ICON_SCRIPT,
    "xtask/src/desktop_package.rs",
];

/// Builds the package for this platform and returns its path.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    let platform = Platform::current()?;
    require_jvm_tools()?;
    require_tool(
        "jpackage",
        "--version",
        "a JDK 17 with jpackage (Debian: openjdk-17-jdk)",
    )?;
    if platform == Platform::Linux {
        require_tool(
            "fakeroot",
            "-v",
            "fakeroot (Debian: apt-get install fakeroot)",
        )?;
        require_tool("dpkg-deb", "--version", "dpkg-deb (Debian: dpkg)")?;
    }
    let library = build_native_library(root)?;
    let out = root.join(OUT);
    let input = out.join("input");
    let resources = out.join("resources");
    for dir in [&input, &resources] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| format!("could not clear {}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    }
    let main_jar = build_jars(root, &input)?;
    copy_file(&library, &input.join(file_name(&library)?))?;
    stage_resources(root, platform, &resources)?;

    let mut jpackage = Command::new("jpackage");
    jpackage
        .args(["--type", platform.package_type()])
        .arg("--dest")
        .arg(&out)
        .args(["--name", PACKAGE, "--app-version", VERSION])
        .args(["--vendor", "Tessera"])
        .args([
            "--description",
            "Tessera Desktop: an open soft token for second-factor sign-in",
        ])
        .arg("--input")
        .arg(&input)
        .args(["--main-jar", &main_jar, "--main-class", MAIN_CLASS])
        // The launcher substitutes $APPDIR: JNA finds libtessera_ffi beside the jars.
        .args(["--java-options", "-Djna.library.path=$APPDIR"])
        .args(["--add-modules", MODULES])
        .args([
            "--jlink-options",
            "--strip-debug --no-man-pages --no-header-files --strip-native-commands",
        ])
        .arg("--resource-dir")
        .arg(&resources)
        .arg("--icon")
        .arg(resources.join(platform.icon_name()))
        // dpkg-deb's xz at level 1 rather than 6: the package is about 5 % larger (96 MB against
        // 91 MB) and compressing it, which CI pays on every build, takes minutes less.
        .env("DPKG_DEB_COMPRESSOR_LEVEL", "1")
        .current_dir(root);
    match platform {
        Platform::Linux => {
            jpackage.args([
                "--install-dir",
                "/opt",
                "--linux-package-name",
                PACKAGE,
                "--linux-shortcut",
                "--linux-menu-group",
                "Utility;Security;",
                "--linux-app-category",
                "utils",
                "--linux-deb-maintainer",
                "tessera@localhost",
            ]);
        }
        Platform::Windows => {
            jpackage.args([
                "--win-menu",
                "--win-menu-group",
                "Tessera",
                "--win-shortcut",
                "--win-per-user-install",
                "--win-upgrade-uuid",
                "5f0c1a52-8d7e-4a43-9a55-3f1e2b6c7d01",
            ]);
        }
        Platform::Mac => {
            jpackage.args(["--mac-package-identifier", "org.tessera.desktop"]);
        }
    }
    let made = out.join(platform.jpackage_output_name());
    if made.exists() {
        std::fs::remove_file(&made)
            .map_err(|e| format!("could not remove the old {}: {e}", made.display()))?;
    }
    run_checked(&mut jpackage)?;
    let package = out.join(platform.package_name());
    if made != package {
        std::fs::rename(&made, &package).map_err(|e| {
            format!(
                "jpackage wrote {} but it could not be renamed to {}: {e}",
                made.display(),
                package.display()
            )
        })?;
    }
    println!("package: {}", package.display());
    Ok(package)
}

/// The package of this platform when it is newer than every input, else a new build.
pub fn fresh_or_build(root: &Path) -> Result<PathBuf, String> {
    let package = root.join(OUT).join(Platform::current()?.package_name());
    if is_fresh(root, &package)? {
        println!(
            "package {} is newer than its inputs: reused",
            package.display()
        );
        return Ok(package);
    }
    build(root)
}

/// Whether `package` exists and no file among the inputs changed after it was written.
pub fn is_fresh(root: &Path, package: &Path) -> Result<bool, String> {
    let Ok(built) = std::fs::metadata(package).and_then(|m| m.modified()) else {
        return Ok(false);
    };
    let mut newest = SystemTime::UNIX_EPOCH;
    for input in INPUTS {
        newest = newest.max(newest_change(&root.join(input))?);
    }
    Ok(newest <= built)
}

/// The newest modification time of a file or of the files under a folder, skipping build
/// outputs (`target`, `build`) and hidden folders.
fn newest_change(path: &Path) -> Result<SystemTime, String> {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SystemTime::UNIX_EPOCH),
        Err(e) => return Err(format!("could not read {}: {e}", path.display())),
    };
    if !metadata.is_dir() {
        return metadata
            .modified()
            .map_err(|e| format!("no modification time for {}: {e}", path.display()));
    }
    let mut newest = SystemTime::UNIX_EPOCH;
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("could not list {}: {e}", path.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("could not list {}: {e}", path.display()))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "target" || name == "build" || name.starts_with('.') {
            continue;
        }
        newest = newest.max(newest_change(&entry.path())?);
    }
    Ok(newest)
}

/// The release FFI library with the system keystore, and the Kotlin bindings generated from it.
fn build_native_library(root: &Path) -> Result<PathBuf, String> {
    run_checked(
        Command::new("cargo")
            .args([
                "build",
                "--release",
                "-p",
                "tessera-ffi",
                "--features",
                "desktop-device-key",
            ])
            .current_dir(root),
    )?;
    run_checked(
        Command::new("cargo")
            .args(["build", "--quiet", "-p", "tessera-uniffi-bindgen"])
            .current_dir(root),
    )?;
    let target = target_dir(root);
    let library = target.join("release").join(native_library_name());
    let kotlin = root.join(KOTLIN_OUT);
    if kotlin.exists() {
        std::fs::remove_dir_all(&kotlin)
            .map_err(|e| format!("could not clear {}: {e}", kotlin.display()))?;
    }
    run_checked(
        Command::new(target.join("debug").join(bindgen_name()))
            .args(["generate", "--no-format", "--library"])
            .arg(&library)
            .args(["--language", "kotlin", "--out-dir"])
            .arg(&kotlin)
            .current_dir(root),
    )?;
    Ok(library)
}

/// Installs the Kotlin library and the screens into the local Maven repository, packages the
/// desktop app and copies its jar and runtime dependencies into `input`. Returns the app jar's
/// file name.
fn build_jars(root: &Path, input: &Path) -> Result<String, String> {
    run_checked(
        Command::new("mvn")
            .args(["-B", "-q", "-Dstyle.color=never", "-DskipTests", "-f"])
            .arg(root.join(REACTOR_POM))
            .arg("install")
            .current_dir(root),
    )?;
    run_checked(
        Command::new("mvn")
            .args(["-B", "-q", "-Dstyle.color=never", "-DskipTests", "-f"])
            .arg(root.join(DESKTOP_POM))
            .args(["package", "dependency:copy-dependencies"])
            .args(["-DincludeScope=runtime"])
            .arg(format!("-DoutputDirectory={}", input.display()))
            .current_dir(root),
    )?;
    let jars = root.join("desktop").join("target");
    let app_jar = std::fs::read_dir(&jars)
        .map_err(|e| format!("no desktop jar in {}: {e}", jars.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| {
            name.starts_with(PACKAGE)
                && name.ends_with(".jar")
                && !name.ends_with("-sources.jar")
                && !name.ends_with("-tests.jar")
        })
        .ok_or_else(|| format!("mvn package wrote no {PACKAGE}*.jar in {}", jars.display()))?;
    copy_file(&jars.join(&app_jar), &input.join(&app_jar))?;
    Ok(app_jar)
}

/// Copies this platform's resource overrides and draws the icon beside them.
fn stage_resources(root: &Path, platform: Platform, into: &Path) -> Result<(), String> {
    let from = root.join(RESOURCES).join(platform.resource_folder());
    let entries = std::fs::read_dir(&from)
        .map_err(|e| format!("no packaging resources in {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("could not list {}: {e}", from.display()))?
            .path();
        if path.is_file() {
            copy_file(&path, &into.join(file_name(&path)?))?;
        }
    }
    let png = into.join(format!("{PACKAGE}.png"));
    run_checked(
        Command::new("python3")
            .arg(root.join(ICON_SCRIPT))
            .arg(&png)
            .arg(ICON_SIZE)
            .current_dir(root),
    )?;
    if platform != Platform::Linux {
        make_icons(root, into)?;
    }
    Ok(())
}

/// Writes the Windows .ico and the macOS .icns of the same drawing into `into`
/// (desktop/packaging/make-icons.py, with Pillow).
fn make_icons(root: &Path, into: &Path) -> Result<(), String> {
    crate::python::ensure_pillow()?;
    run_checked(
        Command::new("python3")
            .arg(root.join(ICONS_SCRIPT))
            .arg(into)
            .current_dir(root),
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Platform {
    Linux,
    Windows,
    Mac,
}

impl Platform {
    fn current() -> Result<Self, String> {
        if cfg!(target_os = "linux") && cfg!(target_arch = "x86_64") {
            Ok(Self::Linux)
        } else if cfg!(target_os = "windows") {
            Ok(Self::Windows)
        } else if cfg!(target_os = "macos") {
            Ok(Self::Mac)
        } else {
            Err("desktop-package makes the .deb on Linux x86_64, the .msi on Windows and the .dmg on macOS".into())
        }
    }

    fn package_type(self) -> &'static str {
        match self {
            Self::Linux => "deb",
            Self::Windows => "msi",
            Self::Mac => "dmg",
        }
    }

    fn resource_folder(self) -> &'static str {
        match self {
            Self::Linux => "linux",
            Self::Windows => "windows",
            Self::Mac => "macos",
        }
    }

    fn icon_name(self) -> String {
        match self {
            Self::Linux => format!("{PACKAGE}.png"),
            Self::Windows => format!("{PACKAGE}.ico"),
            Self::Mac => format!("{PACKAGE}.icns"),
        }
    }

    /// What jpackage names its output (Debian's version carries jpackage's release "-1").
    fn jpackage_output_name(self) -> String {
        match self {
            Self::Linux => format!("{PACKAGE}_{VERSION}-1_amd64.deb"),
            Self::Windows => format!("{PACKAGE}-{VERSION}.msi"),
            Self::Mac => format!("{PACKAGE}-{VERSION}.dmg"),
        }
    }

    fn package_name(self) -> String {
        match self {
            Self::Linux => format!("{PACKAGE}_{VERSION}_amd64.deb"),
            other => other.jpackage_output_name(),
        }
    }
}

fn native_library_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "libtessera_ffi.dylib"
    } else if cfg!(target_os = "windows") {
        "tessera_ffi.dll"
    } else {
        "libtessera_ffi.so"
    }
}

fn bindgen_name() -> &'static str {
    if cfg!(target_os = "windows") {
        "uniffi-bindgen.exe"
    } else {
        "uniffi-bindgen"
    }
}

fn file_name(path: &Path) -> Result<&std::ffi::OsStr, String> {
    path.file_name()
        .ok_or_else(|| format!("{} names no file", path.display()))
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("could not copy {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The big-endian u32 at `at`.
    fn be32(bytes: &[u8], at: usize) -> u32 {
        u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    /// A PNG's width and height, from its IHDR chunk.
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        assert_eq!(&png[12..16], b"IHDR");
        (be32(png, 16), be32(png, 20))
    }

    #[test]
    fn the_windows_and_macos_icons_hold_every_size_their_systems_ask_for() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let out = tempfile::tempdir().unwrap();
        make_icons(root, out.path()).unwrap();

        // ICO: a 6-byte header (0, type 1, count) and 16-byte entries; a width byte of 0 is 256.
        let ico = std::fs::read(out.path().join(format!("{PACKAGE}.ico"))).unwrap();
        assert_eq!(&ico[..4], &[0, 0, 1, 0]);
        let count = u16::from_le_bytes([ico[4], ico[5]]) as usize;
        let mut widths: Vec<u32> = (0..count)
            .map(|i| {
                let entry = &ico[6 + 16 * i..6 + 16 * (i + 1)];
                let width = if entry[0] == 0 {
                    256
                } else {
                    u32::from(entry[0])
                };
                assert_eq!(entry[0], entry[1], "square icons");
                let size = u32::from_le_bytes(entry[8..12].try_into().unwrap()) as usize;
                let offset = u32::from_le_bytes(entry[12..16].try_into().unwrap()) as usize;
                assert!(offset + size <= ico.len(), "entry {i} runs past the file");
                width
            })
            .collect();
        widths.sort_unstable();
        assert_eq!(widths, [16, 24, 32, 48, 64, 128, 256]);

        // ICNS: "icns", the file's length, then (type, length including these 8 bytes) chunks.
        // Apple's types ic07..ic10 hold PNGs of 128, 256, 512 and 1024 pixels.
        let icns = std::fs::read(out.path().join(format!("{PACKAGE}.icns"))).unwrap();
        assert_eq!(&icns[..4], b"icns");
        assert_eq!(be32(&icns, 4) as usize, icns.len());
        let mut at = 8;
        let mut pngs = std::collections::BTreeMap::new();
        while at < icns.len() {
            let kind = String::from_utf8_lossy(&icns[at..at + 4]).into_owned();
            let length = be32(&icns, at + 4) as usize;
            assert!(
                length >= 8 && at + length <= icns.len(),
                "chunk {kind} runs past the file"
            );
            if kind.starts_with("ic")
                && kind[2..]
                    .parse::<u32>()
                    .is_ok_and(|n| (7..=10).contains(&n))
            {
                pngs.insert(kind, png_size(&icns[at + 8..at + length]));
            }
            at += length;
        }
        assert_eq!(
            pngs.into_iter().collect::<Vec<_>>(),
            [
                ("ic07".to_string(), (128, 128)),
                ("ic08".to_string(), (256, 256)),
                ("ic09".to_string(), (512, 512)),
                ("ic10".to_string(), (1024, 1024)),
            ]
        );
    }

    #[test]
    fn the_debian_package_is_named_as_apt_finds_it() {
        assert_eq!(
            Platform::Linux.package_name(),
            format!("tessera-desktop_{VERSION}_amd64.deb")
        );
    }

    #[test]
    fn a_package_older_than_an_input_is_rebuilt() {
        let root = tempfile::tempdir().unwrap();
        let core = root.path().join("core");
        std::fs::create_dir_all(core.join("target")).unwrap();
        std::fs::write(core.join("lib.rs"), "").unwrap();
        let package = root.path().join("package.deb");
        assert!(!is_fresh(root.path(), &package).unwrap(), "no package yet");

        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&package, "").unwrap();
        assert!(is_fresh(root.path(), &package).unwrap());

        // A build output under target does not count; a source does.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(core.join("target").join("out.o"), "").unwrap();
        assert!(is_fresh(root.path(), &package).unwrap());
        std::fs::write(core.join("lib.rs"), "fn main() {}").unwrap();
        assert!(!is_fresh(root.path(), &package).unwrap());
    }
}
