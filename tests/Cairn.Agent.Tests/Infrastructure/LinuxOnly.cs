// The agent and its tests run on Linux (file modes, /bin/sh hooks).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
