// The agent runs on the Linux instance it backs up (systemd, 0600 state files).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
