namespace Aviary.Tests.Deployment;

/// <summary>What the deployment-file tests share: paths in the repository, and reporting every problem at once.</summary>
internal static class RepoFiles
{
    public static string InRepo(string relative) => Path.Combine(RepoPaths.Root, relative);

    public static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

    /// <summary>Fails with every problem on a line of its own (Assert.Empty would cut each one short).</summary>
    public static void AssertNone(List<string> problems)
    {
        if (problems.Count > 0)
            Assert.Fail(string.Join(Environment.NewLine, problems));
    }
}
