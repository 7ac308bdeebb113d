using Microsoft.Playwright;

namespace Cairn.Space.Web.Tests.Infrastructure;

/// <summary>What every console page must offer keyboard and screen-reader users, checked in the real browser.</summary>
public static class AccessibilityChecks
{
    // Everything a person can act on: links, buttons and fields that are shown.
    private const string MarkFocusable = """
        () => {
          const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
          const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden]');
          // A radio group is one Tab stop (arrow keys move inside it), as browsers make it: its checked radio, else its first.
          const radioStop = e => e.type !== 'radio' || !e.name || e === (document.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]:checked`)
            ?? document.querySelector(`input[type=radio][name="${CSS.escape(e.name)}"]`));
          const all = [...document.querySelectorAll(selector)].filter(shown).filter(radioStop);
          all.forEach((e, i) => e.setAttribute('data-focus-id', String(i)));
          return all.map(e => (e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || e.name || '')).trim().replace(/\s+/g, ' '));
        }
        """;

    private const string UnlabelledFields = """
        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter(e => !e.labels || ![...e.labels].some(l => l.textContent.trim().length > 0))
          .map(e => e.outerHTML)
        """;

    public static async Task AssertAsync(IPage page, string name)
    {
        (await page.Locator("h1").CountAsync()).Should().Be(1, $"page {name} has exactly one h1");
        (await page.EvaluateAsync<string[]>(UnlabelledFields)).Should().BeEmpty($"every field of page {name} has a label");
        await AssertTabReachesEverythingAsync(page, name);
    }

    /// <summary>Presses Tab from the top of the page until every focusable element has had focus (or gives up).</summary>
    public static async Task AssertTabReachesEverythingAsync(IPage page, string name)
    {
        var focusable = await page.EvaluateAsync<string[]>(MarkFocusable);
        focusable.Should().NotBeEmpty();
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        var reached = new HashSet<int>();
        for (var press = 0; press < focusable.Length * 2 + 4 && reached.Count < focusable.Length; press++)
        {
            await page.Keyboard.PressAsync("Tab");
            var id = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-focus-id') ?? null");
            if (int.TryParse(id, out var index))
            {
                reached.Add(index);
            }
        }

        var missed = Enumerable.Range(0, focusable.Length).Where(i => !reached.Contains(i)).Select(i => focusable[i]).ToList();
        missed.Should().BeEmpty($"Tab reaches every link, button and field of page {name}");
    }
}
