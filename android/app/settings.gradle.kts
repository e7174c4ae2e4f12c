// The Android app. Built with Gradle on a machine with the Android SDK and NDK (docs/building.md):
// run `cargo xtask android-aar` first; it makes ../tessera/target/tessera.aar (the Rust library for
// every ABI, the generated bindings and the Kotlin library), which this build takes as a file.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "tessera-app"
