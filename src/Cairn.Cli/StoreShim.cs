using Cairn.Storage;

namespace Cairn.Cli;

internal static class StoreShim
{
    public static IObjectStore Open(string location) =>
        new LocalObjectStore(Path.GetFullPath(location.StartsWith("local:", StringComparison.Ordinal) ? location[6..] : location));
}
