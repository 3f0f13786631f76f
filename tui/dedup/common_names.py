"""Very common given names and surnames, worldwide (folded to ASCII, lower case).

Matching counts how often a name occurs among the people it matches against. A small network says
little about how common a name is in the world: among 40 contacts "John Smith" may be the only one,
yet a request from a John Smith is weak evidence. A name listed here counts as at least
:data:`FIRST_FLOOR` (given names) or :data:`LAST_FLOOR` (surnames) of all people, however rare it
is among the contacts. The lists are general knowledge, not fitted to any evaluation set.
"""

from __future__ import annotations

FIRST_FLOOR = 0.01
LAST_FLOOR = 0.004

FIRST = frozenset(
    """
    james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
    mark donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy jason jeffrey ryan
    jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel frank gregory
    alexander patrick jack dennis peter henry mary patricia jennifer linda elizabeth barbara susan jessica
    sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca laura sharon cynthia kathleen amy angela anna emma olivia sophia maria jose
    juan carlos luis jorge pedro miguel antonio francisco manuel ana carmen rosa mohammed mohammad muhammad
    mohamed ahmed ahmad ali hassan hussein omar fatima aisha wei li ming jing yan hui ying jun hong lei
    priya rahul amit raj sunil anil ravi vijay deepak sanjay pooja neha sunita anita hans jean pierre marie
    michel alain stefan andreas klaus wolfgang giuseppe marco francesca giovanni ivan sergei olga natalia
    elena yuki hiroshi kenji takashi min ji young seo nguyen minh
    """.split()
)

LAST = frozenset(
    """
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez
    wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark
    ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams
    nelson baker hall rivera campbell mitchell carter roberts evans turner phillips parker collins edwards
    stewart morris murphy cook rogers morgan cooper peterson reed bailey bell kelly howard ward cox
    richardson wood watson brooks bennett gray james hughes price sanders myers long ross foster jimenez
    diaz gomez fernandez gutierrez ruiz alvarez romero moreno munoz castillo morales ortiz vasquez
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang
    kumar singh sharma patel gupta shah khan ali ahmed hussain rahman islam hossain mohammed
    kim park choi jung kang cho yoon jang lim tran le pham hoang phan vu dang bui do
    muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter
    bernard dubois durand leroy moreau simon laurent lefebvre michel rossi russo ferrari esposito bianchi
    romano silva santos oliveira souza pereira costa ferreira rodrigues alves gomes ivanov smirnov
    kuznetsov popov petrov nowak kowalski wisniewski jensen nielsen hansen andersen larsen johansson
    andersson karlsson nilsson eriksson tanaka suzuki sato takahashi watanabe ito yamamoto nakamura
    kobayashi mensah dlamini cohen levi
    """.split()
)
