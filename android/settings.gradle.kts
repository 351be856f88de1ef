// The Android app: `shell` (plain Kotlin: the core bridge and the effect
// handlers, also built by shell/pom.xml for the desktop JVM tests) and
// `app` (Compose screens and the platform calls). See README.md.
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

rootProject.name = "gridline"
include(":shell", ":app")
