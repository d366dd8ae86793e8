// Scaffolds EF Core migrations for a service's DbContext the way `dotnet ef migrations add` does:
//   dotnet run --project tools/MigrationScaffolder -- <service> <MigrationName>
//   dotnet run --project tools/MigrationScaffolder -- remove <service>
// The files go to services/<Service>/Infrastructure/Migrations, namespace <RootNamespace>.Infrastructure.Migrations.

using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Tools.MigrationScaffolder;

const string SubNamespace = "Infrastructure.Migrations";

var verbose = args.Contains("--verbose") || args.Contains("-v");
var positional = args.Where(arg => arg is not ("--verbose" or "-v")).ToArray();

var reporter = new OperationReporter(new OperationReportHandler(
    errorHandler: message => Console.Error.WriteLine("error: " + message),
    warningHandler: message => Console.Error.WriteLine("warning: " + message),
    informationHandler: Console.WriteLine,
    verboseHandler: message =>
    {
        if (verbose)
        {
            Console.WriteLine(message);
        }
    }));

try
{
    var (remove, service, name) = positional switch
    {
        ["remove", var s] => (true, s, null),
        [var s, var n] when s != "remove" => (false, s, n),
        _ => throw new UsageException("Expected a service and a migration name, or 'remove' and a service."),
    };

    var repositoryRoot = typeof(ServiceProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;
    var project = ServiceProject.Load(repositoryRoot, service);
    var outputDirectory = Path.Combine(project.ProjectDirectory, SubNamespace.Replace('.', Path.DirectorySeparatorChar));

    if (name is not null)
    {
        // The checks `dotnet ef migrations add` makes before scaffolding.
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new UsageException($"'{name}' is not a valid migration name: it would not be a valid file name.");
        }

        if (name == project.ContextType.Name)
        {
            throw new UsageException($"The migration name cannot be the same as the context's class name ({name}).");
        }
    }

    using var context = project.CreateContext([]);
    var services = new DesignTimeServicesBuilder(project.Assembly, project.Assembly, reporter, []).Build(context);
    EnsureMigrationsAssembly(services, project.Assembly);

    using var scope = services.CreateScope();
    var scaffolder = scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>();
    MigrationFiles files;
    if (name is not null)
    {
        var migration = scaffolder.ScaffoldMigration(name, project.RootNamespace, SubNamespace);
        files = scaffolder.Save(project.ProjectDirectory, migration, outputDirectory);
        Report("Wrote", files, repositoryRoot);
        Console.WriteLine($"Done. To undo this action: dotnet run --project tools/MigrationScaffolder -- remove {service}");
    }
    else
    {
        // There is no database at design time, so skip the "already applied?" check (dotnet ef's --force
        // would also revert the migration in the database; with no database it just warns and goes on).
        // Remove only migrations that no shared database has applied.
        files = scaffolder.RemoveMigration(project.ProjectDirectory, project.RootNamespace, force: true, language: null, dryRun: false);
        Report("Removed", files, repositoryRoot);
        if (Directory.Exists(outputDirectory) && !Directory.EnumerateFileSystemEntries(outputDirectory).Any())
        {
            Directory.Delete(outputDirectory);
        }

        Console.WriteLine("Done.");
    }

    return 0;
}
catch (UsageException exception)
{
    reporter.WriteError(exception.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine("usage: dotnet run --project tools/MigrationScaffolder -- <service> <MigrationName> [--verbose]");
    Console.Error.WriteLine("       dotnet run --project tools/MigrationScaffolder -- remove <service> [--verbose]");
    Console.Error.WriteLine("services: " + string.Join(", ", ServiceProject.Names));
    return 2;
}
catch (Exception exception)
{
    reporter.WriteVerbose(exception.ToString());
    reporter.WriteError(exception.Message);
    return 1;
}

// Like dotnet ef: the migrations must belong to the service's own assembly, the one the files are written to.
static void EnsureMigrationsAssembly(IServiceProvider services, Assembly assembly)
{
    var options = services.GetRequiredService<IDbContextOptions>();
    var configured = RelationalOptionsExtension.Extract(options).MigrationsAssembly;
    if (configured is not null && configured != assembly.GetName().Name && configured != assembly.FullName)
    {
        throw new InvalidOperationException(
            $"The context's migrations assembly is '{configured}', not '{assembly.GetName().Name}'; "
            + "this tool writes migrations into the service's own project.");
    }
}

static void Report(string verb, MigrationFiles files, string root)
{
    foreach (var file in new[] { files.MigrationFile, files.MetadataFile, files.SnapshotFile })
    {
        if (file is not null)
        {
            Console.WriteLine($"{verb} {Path.GetRelativePath(root, file)}");
        }
    }
}
