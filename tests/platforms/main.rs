//! Every till smartx is shipped to: smartx.dll for 64-bit and 32-bit Windows under Wine, the ARM64 library under
//! qemu-user, the Python wheel with the library inside, and the version each of them carries. Each cross-builds
//! with its own script (scripts/build-windows.sh, build-arm.sh, build-wheel.sh) and runs against the sandbox on
//! loopback; a test skips itself, saying so, only where its tools cannot be had (scripts/test.sh installs them).

#[path = "../support/mod.rs"]
mod support;

mod arm;
mod versions;
mod wheel;
mod windows_dll;
mod windows_x86;
