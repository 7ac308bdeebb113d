// The maintenance tests drive restic and Linux file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
