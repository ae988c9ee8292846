using Aviary.Client.Workflows;
using Aviary.Errors;

namespace Aviary.Tests.Workflows;

public sealed class ImportPlanBuilderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aviary-imports-").FullName;

    private void Write(string path, string text)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void Python_ImportsAndRelativeImports_BecomeDependencies()
    {
        Write("app/main.py", "import os\nimport app.models\nfrom app.services import billing\nfrom .util import helper  # relative\n");
        Write("app/__init__.py", "");
        Write("app/models.py", "from . import util\n");
        Write("app/util.py", "# import app.main  (a comment, not an import)\n");
        Write("app/services/__init__.py", "");
        Write("app/services/billing.py", "from ..models import Order\n");

        var result = ImportPlanBuilder.Build(_root);
        var deps = result.Plan.Tasks.ToDictionary(t => t.Id, t => t.DependsOn);

        Assert.Equal(["app/models.py", "app/services/billing.py", "app/util.py"], deps["app/main.py"].Order());
        Assert.Equal(["app/util.py"], deps["app/models.py"]);
        Assert.Equal(["app/models.py"], deps["app/services/billing.py"]);
        Assert.Empty(deps["app/util.py"]);
        Assert.Empty(result.Cycles);
    }

    [Fact]
    public void JavaScriptAndTypeScript_RelativeImportsResolveExtensionsAndIndex()
    {
        Write("src/index.ts", "import { a } from './a';\nimport * as lib from 'lodash';\nexport { b } from './b/index.js';\nconst c = require(\"./c\");\n// import './commented';\n");
        Write("src/a.ts", "import type { X } from '../shared/types';\n");
        Write("src/b/index.ts", "");
        Write("src/c.js", "const lazy = import('./a');\n");
        Write("shared/types.ts", "");
        Write("src/commented.ts", "");

        var deps = ImportPlanBuilder.Build(_root).Plan.Tasks.ToDictionary(t => t.Id, t => t.DependsOn);

        Assert.Equal(["src/a.ts", "src/b/index.ts", "src/c.js"], deps["src/index.ts"]);
        Assert.Equal(["shared/types.ts"], deps["src/a.ts"]);
        Assert.Equal(["src/a.ts"], deps["src/c.js"]);
    }

    [Fact]
    public void ImportCycle_IsReportedAndBroken_PlanStaysADag()
    {
        Write("a.py", "import b\n");
        Write("b.py", "import c\n");
        Write("c.py", "import a\n");

        var result = ImportPlanBuilder.Build(_root);

        Assert.Equal(["a.py -> b.py -> c.py -> a.py"], result.Cycles);
        Assert.Equal(3, result.Plan.Tasks.Length);
        Assert.Empty(result.Plan.Tasks.Single(t => t.Id == "c.py").DependsOn);
    }

    [Fact]
    public void FileNamesATaskIdCannotHold_GetIdsThatCan_AndKeepTheirPaths()
    {
        Write("__init__.py", "from . import _version\n");
        Write("_version.py", "");
        Write(".eslintrc.js", "");
        Write("pages/[id].tsx", "import Page from '../(group)/page';\n");
        Write("(group)/page.tsx", "import { x } from '../my file';\n");
        Write("my file.ts", "");

        var tasks = ImportPlanBuilder.Build(_root).Plan.Tasks.ToDictionary(t => t.Input["path"]);

        Assert.Equal("file-__init__.py", tasks["__init__.py"].Id);
        Assert.Equal("file-_version.py", tasks["_version.py"].Id);
        Assert.Equal("file-.eslintrc.js", tasks[".eslintrc.js"].Id);
        Assert.Equal("pages/-id-.tsx", tasks["pages/[id].tsx"].Id);
        Assert.Equal("file--group-/page.tsx", tasks["(group)/page.tsx"].Id);
        Assert.Equal("my-file.ts", tasks["my file.ts"].Id);
        Assert.Equal(["file-_version.py"], tasks["__init__.py"].DependsOn);
        Assert.Equal(["file--group-/page.tsx"], tasks["pages/[id].tsx"].DependsOn);
        Assert.Equal(["my-file.ts"], tasks["(group)/page.tsx"].DependsOn);
    }

    [Fact]
    public void PathsThatCleanToTheSameId_StayApart()
    {
        Write("a b.py", "");
        Write("a-b.py", "");

        var ids = ImportPlanBuilder.Build(_root).Plan.Tasks.Select(t => t.Id).ToArray();

        Assert.Equal(2, ids.Distinct().Count());
        Assert.Contains("a-b.py", ids);
    }

    [Fact]
    public void EmptyFolder_IsAClearError()
    {
        Write("README.md", "no code");

        var error = Assert.Throws<AviaryValidationException>(() => ImportPlanBuilder.Build(_root));

        Assert.Equal("folder", error.Field);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
