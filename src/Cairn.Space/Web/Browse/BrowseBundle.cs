using System.Security.Cryptography;

namespace Cairn.Space.Web.Browse;

/// <summary>
/// The in-browser repository reader's bundle (built from BrowserRestore/ into wwwroot/browse) and its Subresource
/// Integrity hash, computed once from the file served, so a changed file on the server is refused by the browser.
/// </summary>
public sealed class BrowseBundle(IWebHostEnvironment environment)
{
    public const string PagePath = "browse/browse-page.js";
    public const string WorkerPath = "browse/kdf-worker.js";

    /// <summary>The service worker that streams downloads to disk; its folder (<c>/browse/</c>) is its scope.</summary>
    public const string DownloadWorkerPath = "/browse/download-sw.js";

    private readonly Lazy<string> _integrity = new(() => Integrity(environment, PagePath));

    /// <summary>e.g. <c>sha384-…</c>; throws when the build did not produce the bundle.</summary>
    public string PageIntegrity => _integrity.Value;

    private static string Integrity(IWebHostEnvironment environment, string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists)
        {
            throw new InvalidOperationException($"wwwroot/{path} is missing: the build runs esbuild in src/Cairn.Space/BrowserRestore");
        }

        using var stream = file.CreateReadStream();
        return "sha384-" + Convert.ToBase64String(SHA384.HashData(stream));
    }
}
