"""RDF terms as module constants: attribute access on an rdflib namespace builds a new URIRef every time,
which the build's hot loops would pay millions of times."""

from __future__ import annotations

from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph.rdf.vocab import NG, OA, ORG, SCHEMA, TIME

NG_AdministrativeDivision = NG.AdministrativeDivision
NG_Broadcast = NG.Broadcast
NG_Ceremony = NG.Ceremony
NG_Evidence = NG.Evidence
NG_Inspection = NG.Inspection
NG_Meeting = NG.Meeting
NG_SchoolReopening = NG.SchoolReopening
NG_adminCode = NG.adminCode
NG_adminLevel = NG.adminLevel
NG_chair = NG.chair
NG_dateRule = NG.dateRule
NG_evidence = NG.evidence
NG_firstAttested = NG.firstAttested
NG_homeCity = NG.homeCity
NG_jurisdiction = NG.jurisdiction
NG_lastAttested = NG.lastAttested
NG_leader = NG.leader
NG_mergedBecause = NG.mergedBecause
NG_CoAttendance = NG.CoAttendance
NG_eventCount = NG.eventCount
NG_partnerCount = NG.partnerCount
NG_firstPerson = NG.firstPerson
NG_secondPerson = NG.secondPerson
NG_partOfDay = NG.partOfDay
NG_photographer = NG.photographer
NG_sourceFile = NG.sourceFile
NG_speaker = NG.speaker
NG_title = NG.title
OA_TextPositionSelector = OA.TextPositionSelector
OA_TextQuoteSelector = OA.TextQuoteSelector
OA_end = OA.end
OA_exact = OA.exact
OA_hasSource = OA.hasSource
OA_start = OA.start
ORG_Membership = ORG.Membership
ORG_member = ORG.member
ORG_memberDuring = ORG.memberDuring
ORG_organization = ORG.organization
ORG_role = ORG.role
ORG_subOrganizationOf = ORG.subOrganizationOf
PROV_wasDerivedFrom = PROV.wasDerivedFrom
RDFS_label = RDFS.label
RDF_type = RDF.type
SCHEMA_AdministrativeArea = SCHEMA.AdministrativeArea
SCHEMA_Event = SCHEMA.Event
SCHEMA_NewsArticle = SCHEMA.NewsArticle
SCHEMA_Newspaper = SCHEMA.Newspaper
SCHEMA_Organization = SCHEMA.Organization
SCHEMA_Person = SCHEMA.Person
SCHEMA_Place = SCHEMA.Place
SCHEMA_Project = SCHEMA.Project
SCHEMA_alternateName = SCHEMA.alternateName
SCHEMA_alternativeHeadline = SCHEMA.alternativeHeadline
SCHEMA_articleBody = SCHEMA.articleBody
SCHEMA_attendee = SCHEMA.attendee
SCHEMA_author = SCHEMA.author
SCHEMA_containedInPlace = SCHEMA.containedInPlace
SCHEMA_contributor = SCHEMA.contributor
SCHEMA_editor = SCHEMA.editor
SCHEMA_datePublished = SCHEMA.datePublished
SCHEMA_headline = SCHEMA.headline
SCHEMA_isPartOf = SCHEMA.isPartOf
SCHEMA_location = SCHEMA.location
SCHEMA_mentions = SCHEMA.mentions
SCHEMA_name = SCHEMA.name
SCHEMA_organizer = SCHEMA.organizer
SCHEMA_publisher = SCHEMA.publisher
SCHEMA_startDate = SCHEMA.startDate
TIME_Instant = TIME.Instant
TIME_Interval = TIME.Interval
TIME_hasBeginning = TIME.hasBeginning
TIME_hasEnd = TIME.hasEnd
TIME_inXSDDate = TIME.inXSDDate
XSD_date = XSD.date
XSD_gMonthDay = XSD.gMonthDay
