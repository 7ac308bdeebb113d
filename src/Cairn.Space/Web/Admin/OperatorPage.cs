using Cairn.Space.Accounts;
using Microsoft.AspNetCore.Components;

namespace Cairn.Space.Web.Admin;

/// <summary>
/// A page of the Admin area: for an account that is not an operator it is "not found" (404), and it loads nothing
/// and renders no form, so no handler of it runs for them either.
/// </summary>
public abstract class OperatorPage : ComponentBase
{
    [CascadingParameter]
    protected HttpContext HttpContext { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private OperatorCheck Operators { get; set; } = null!;

    /// <summary>True once the signed-in account is known to be an operator; the page renders only then.</summary>
    protected bool IsOperator { get; private set; }

    protected Guid OperatorId => HttpContext.User.GetAccountId();

    protected sealed override async Task OnInitializedAsync()
    {
        IsOperator = await Operators.IsOperatorAsync(HttpContext);
        if (!IsOperator)
        {
            Navigation.NotFound();
            return;
        }

        await LoadAsync();
    }

    /// <summary>Reads what the page shows; called for operators only.</summary>
    protected abstract Task LoadAsync();
}
