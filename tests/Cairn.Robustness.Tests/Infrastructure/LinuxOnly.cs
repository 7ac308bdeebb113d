// The tier kills processes with SIGKILL, reads Unix modes and runs Linux programs: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
